package io.lifeboat.common.store.decorator;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link StoreMetrics} kept in counters: calls and errors per operation and outcome, bytes,
 * total and maximum latency. For the CLI's summary line and for tests.
 *
 * <p>Threading: safe for concurrent use; a {@link #snapshot(StoreOperation)} is not atomic across
 * its fields.
 */
public final class InMemoryStoreMetrics implements StoreMetrics {

    /**
     * Totals for one operation.
     *
     * @param calls finished calls, all outcomes
     * @param notFound calls that found no object
     * @param errors calls that failed transiently or permanently
     * @param bytes payload bytes moved
     * @param totalNanos sum of latencies
     * @param maxNanos largest latency
     */
    public record Totals(long calls, long notFound, long errors, long bytes, long totalNanos, long maxNanos) {
    }

    private static final class Counters {
        final LongAdder calls = new LongAdder();
        final LongAdder notFound = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder totalNanos = new LongAdder();
        final AtomicLong maxNanos = new AtomicLong();
    }

    private final Map<StoreOperation, Counters> counters = new EnumMap<>(StoreOperation.class);

    public InMemoryStoreMetrics() {
        for (StoreOperation op : StoreOperation.values()) {
            counters.put(op, new Counters());
        }
    }

    @Override
    public void recordCall(StoreOperation operation, Outcome outcome, long nanos) {
        Counters c = counters.get(operation);
        c.calls.increment();
        switch (outcome) {
            case SUCCESS -> { }
            case NOT_FOUND -> c.notFound.increment();
            case TRANSIENT_ERROR, PERMANENT_ERROR -> c.errors.increment();
        }
        c.totalNanos.add(nanos);
        c.maxNanos.accumulateAndGet(nanos, Math::max);
    }

    @Override
    public void recordBytes(StoreOperation operation, long bytes) {
        counters.get(operation).bytes.add(bytes);
    }

    public Totals snapshot(StoreOperation operation) {
        Counters c = counters.get(operation);
        return new Totals(c.calls.sum(), c.notFound.sum(), c.errors.sum(), c.bytes.sum(),
                c.totalNanos.sum(), c.maxNanos.get());
    }
}
