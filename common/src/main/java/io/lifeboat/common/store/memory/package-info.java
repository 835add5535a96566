/**
 * An in-memory {@link io.lifeboat.common.store.ObjectStore} for unit tests and dry runs; it
 * passes the same contract test as the real adapters.
 */
package io.lifeboat.common.store.memory;
