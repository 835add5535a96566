/** Test doubles for engine tests: an in-memory repository and a fixed-size chunker. */
package io.lifeboat.common.engine.testing;
