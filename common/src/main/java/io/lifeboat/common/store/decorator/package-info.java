/**
 * Decorators around {@link io.lifeboat.common.store.ObjectStore}, after Kopia's storage wrappers:
 * retry with backoff, metrics, bandwidth limits and fault injection. Each adds one concern and
 * forwards the rest, so an adapter only talks its protocol and every store gets the same retry
 * and metrics. The usual stack, outermost first: metered, retrying, throttled, adapter (metrics
 * then count logical calls; retries are visible as the latency they add).
 */
package io.lifeboat.common.store.decorator;
