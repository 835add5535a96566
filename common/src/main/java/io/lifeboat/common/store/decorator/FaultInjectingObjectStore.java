package io.lifeboat.common.store.decorator;

import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.TransientStoreException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Makes calls fail with {@link TransientStoreException}, for tests of everything above the store
 * (retry, backup jobs, the CLI). In main sources on purpose, so CLI and service tests can build
 * flaky stores too (after Kopia's fault-injecting test storage).
 *
 * <p>Two kinds of fault:
 * <ul>
 *   <li>Random: a {@link Builder#failureRate fraction} of calls to the chosen operations and keys
 *       fail, decided by a {@link Random} from a fixed seed: the same sequence of calls gives the
 *       same faults.</li>
 *   <li>Scripted: {@link #failNext} queues faults for matching calls, for exact scenarios.</li>
 * </ul>
 * A fault either happens {@link Timing#BEFORE before} the delegate is called (the request never
 * arrived) or, for writes ({@code PUT}, {@code DELETE}), {@link Timing#AFTER after} it (the write
 * happened but the response was lost), the case that makes idempotency matter.
 *
 * <p>Threading: safe for concurrent use; with many threads the faults depend on call order, so
 * determinism holds for one thread.
 */
public final class FaultInjectingObjectStore extends ForwardingObjectStore {

    /** When an injected fault strikes relative to the real call. */
    public enum Timing {
        BEFORE,
        AFTER
    }

    private record Script(StoreOperation operation, Predicate<String> keys, Timing timing) {
    }

    private final Random random;
    private final double failureRate;
    private final double afterWriteFraction;
    private final Set<StoreOperation> operations;
    private final Predicate<String> keys;
    private final ConcurrentLinkedQueue<Script> scripted = new ConcurrentLinkedQueue<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong injected = new AtomicLong();

    private FaultInjectingObjectStore(Builder b) {
        super(b.delegate);
        this.random = new Random(b.seed);
        this.failureRate = b.failureRate;
        this.afterWriteFraction = b.afterWriteFraction;
        this.operations = EnumSet.copyOf(b.operations);
        this.keys = b.keys;
    }

    public static Builder builder(ObjectStore delegate) {
        return new Builder(delegate);
    }

    /** Makes the next {@code times} calls of {@code operation} on keys matching {@code keys} fail. */
    public void failNext(StoreOperation operation, Predicate<String> keys, int times, Timing timing) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(keys, "keys");
        if (timing == Timing.AFTER && operation != StoreOperation.PUT && operation != StoreOperation.DELETE) {
            throw new IllegalArgumentException("only writes (PUT, DELETE) can fail after the call");
        }
        for (int i = 0; i < times; i++) {
            scripted.add(new Script(operation, keys, timing));
        }
    }

    /** Calls seen so far. */
    public long calls() {
        return calls.get();
    }

    /** Faults injected so far. */
    public long injectedFaults() {
        return injected.get();
    }

    /** Decides whether this call fails, and when; null for no fault. */
    private Timing decide(StoreOperation operation, String key) {
        calls.incrementAndGet();
        for (Script s : scripted) {
            if (s.operation == operation && s.keys.test(key) && scripted.remove(s)) {
                return s.timing;
            }
        }
        if (failureRate <= 0 || !operations.contains(operation) || !keys.test(key)) {
            return null;
        }
        boolean write = operation == StoreOperation.PUT || operation == StoreOperation.DELETE;
        synchronized (random) {
            if (random.nextDouble() >= failureRate) {
                return null;
            }
            return write && random.nextDouble() < afterWriteFraction ? Timing.AFTER : Timing.BEFORE;
        }
    }

    private TransientStoreException fault(StoreOperation operation, String key, Timing timing) {
        injected.incrementAndGet();
        String what = operation.name().toLowerCase(java.util.Locale.ROOT) + " of " + key;
        return new TransientStoreException(timing == Timing.AFTER
                ? "injected fault: response to " + what + " lost after the write"
                : "injected fault: " + what + " failed", null);
    }

    /** Throws a fault due before the call; returns the timing so a write can fail after it. */
    private Timing before(StoreOperation operation, String key) {
        Timing t = decide(operation, key);
        if (t == Timing.BEFORE) {
            throw fault(operation, key, t);
        }
        return t;
    }

    @Override
    public void put(String key, byte[] data, PutOptions options) {
        Timing t = before(StoreOperation.PUT, key);
        delegate.put(key, data, options);
        if (t == Timing.AFTER) {
            throw fault(StoreOperation.PUT, key, t);
        }
    }

    @Override
    public void delete(String key) {
        Timing t = before(StoreOperation.DELETE, key);
        delegate.delete(key);
        if (t == Timing.AFTER) {
            throw fault(StoreOperation.DELETE, key, t);
        }
    }

    @Override
    public byte[] get(String key) {
        before(StoreOperation.GET, key);
        return delegate.get(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        before(StoreOperation.GET_RANGE, key);
        return delegate.getRange(key, offset, length);
    }

    @Override
    public void getRangeInto(String key, long offset, int length, byte[] dst, int dstOff) {
        before(StoreOperation.GET_RANGE, key);
        delegate.getRangeInto(key, offset, length, dst, dstOff);
    }

    @Override
    public InputStream open(String key) {
        before(StoreOperation.OPEN, key);
        return delegate.open(key);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        before(StoreOperation.STAT, key);
        return delegate.stat(key);
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> consumer) {
        before(StoreOperation.LIST, prefix);
        delegate.list(prefix, consumer);
    }

    @Override
    public String describe() {
        return delegate.describe() + " (fault-injecting)";
    }

    /** Configures random faults; by default none (scripted faults only). */
    public static final class Builder {
        private final ObjectStore delegate;
        private long seed = 1;
        private double failureRate;
        private double afterWriteFraction;
        private Set<StoreOperation> operations = EnumSet.allOf(StoreOperation.class);
        private Predicate<String> keys = k -> true;

        private Builder(ObjectStore delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        /** Seed of the fault sequence. Defaults to 1. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Fraction of matching calls that fail, 0 to 1. Defaults to 0. */
        public Builder failureRate(double rate) {
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("failure rate must be within [0, 1], got " + rate);
            }
            this.failureRate = rate;
            return this;
        }

        /**
         * Of the injected faults on writes, the fraction that strike after the write happened.
         * Defaults to 0.
         */
        public Builder afterWriteFraction(double fraction) {
            if (fraction < 0 || fraction > 1) {
                throw new IllegalArgumentException("after-write fraction must be within [0, 1], got " + fraction);
            }
            this.afterWriteFraction = fraction;
            return this;
        }

        /** Operations that random faults hit. Defaults to all. */
        public Builder operations(StoreOperation first, StoreOperation... rest) {
            this.operations = EnumSet.of(first, rest);
            return this;
        }

        /** Keys (the prefix, for list) that random faults hit. Defaults to all. */
        public Builder keys(Predicate<String> keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        public FaultInjectingObjectStore build() {
            return new FaultInjectingObjectStore(this);
        }
    }
}
