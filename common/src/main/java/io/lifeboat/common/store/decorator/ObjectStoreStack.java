package io.lifeboat.common.store.decorator;

import io.lifeboat.common.store.ObjectStore;
import java.util.Objects;

/**
 * Wraps an adapter in the standard decorators, in the one order that makes sense: metered
 * outermost (it counts the calls callers made and the latency retries add), then retrying, then
 * throttled next to the adapter (so every attempt, retries included, pays for its bytes).
 */
public final class ObjectStoreStack {
    private ObjectStoreStack() {
    }

    /**
     * @param adapter the store that talks to storage
     * @param retry how to retry transient failures
     * @param metrics where to report; {@link StoreMetrics#NONE} for nowhere
     * @param uploadKibPerSecond upload limit in KiB/s, 0 for none
     * @param downloadKibPerSecond download limit in KiB/s, 0 for none
     */
    public static ObjectStore standard(ObjectStore adapter, RetryPolicy retry, StoreMetrics metrics,
            long uploadKibPerSecond, long downloadKibPerSecond) {
        Objects.requireNonNull(adapter, "adapter");
        ObjectStore throttled = ThrottledObjectStore.ofKibPerSecond(adapter, uploadKibPerSecond, downloadKibPerSecond);
        ObjectStore retrying = new RetryingObjectStore(throttled, retry);
        return metrics == StoreMetrics.NONE ? retrying : new MeteredObjectStore(retrying, metrics);
    }
}
