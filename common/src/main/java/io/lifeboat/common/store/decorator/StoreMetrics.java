package io.lifeboat.common.store.decorator;

/**
 * Where {@link MeteredObjectStore} reports. Framework-free so the core stays free of Micrometer;
 * services bridge it to their registry, the CLI uses {@link InMemoryStoreMetrics}.
 *
 * <p>Threading: implementations must accept calls from many threads at once and return quickly
 * (they are called on the data path).
 */
public interface StoreMetrics {

    /** A metrics sink that drops everything. */
    StoreMetrics NONE = new StoreMetrics() {
        @Override
        public void recordCall(StoreOperation operation, Outcome outcome, long nanos) {
        }

        @Override
        public void recordBytes(StoreOperation operation, long bytes) {
        }
    };

    /** How a call ended. */
    enum Outcome {
        SUCCESS,
        /** The key named no object ({@code ObjectNotFoundException}); often expected, so apart from errors. */
        NOT_FOUND,
        /** A {@code TransientStoreException}. */
        TRANSIENT_ERROR,
        /** Any other failure. */
        PERMANENT_ERROR
    }

    /** One finished call and its latency in nanoseconds. */
    void recordCall(StoreOperation operation, Outcome outcome, long nanos);

    /**
     * Payload bytes moved by an operation: written by {@code PUT}, read by the others. Reported
     * once per call, or for an opened stream as it is read.
     */
    void recordBytes(StoreOperation operation, long bytes);
}
