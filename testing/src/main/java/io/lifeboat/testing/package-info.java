/** Shared test harness: starts or reuses the real local servers. */
package io.lifeboat.testing;
