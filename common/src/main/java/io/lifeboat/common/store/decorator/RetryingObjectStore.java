package io.lifeboat.common.store.decorator;

import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectVersion;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.Retention;
import io.lifeboat.common.store.StoreCapabilities;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.TransientStoreException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Retries calls that failed with {@link TransientStoreException}, with exponential backoff and
 * full jitter (see {@link RetryPolicy}). Not-found and permanent failures pass through at once:
 * retrying an access-denied only delays the message the operator needs.
 *
 * <p>Every port operation is safe to repeat: puts replace whole objects with the same bytes,
 * deletes of missing objects succeed. Two operations need care:
 * <ul>
 *   <li>{@link #list}: an attempt that fails half-way would already have fed the consumer, so
 *       each attempt collects into a buffer and the consumer sees only the listing of the attempt
 *       that succeeded, exactly once.</li>
 *   <li>{@link #open}: only opening the stream is retried; a failure while reading surfaces to
 *       the reader (as an {@code IOException}).</li>
 * </ul>
 *
 * <p>When it gives up, it throws a {@link TransientStoreException} naming the attempts, with the
 * last failure as cause (still transient, so an outer layer such as a job scheduler may try the
 * whole job later).
 *
 * <p>Threading: safe for concurrent use if the delegate is; the random source must be
 * thread-safe (the default is).
 */
public final class RetryingObjectStore extends ForwardingObjectStore {
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final LongSupplier nanoClock;
    private final RandomGenerator random;
    private final AtomicLong retries = new AtomicLong();

    public RetryingObjectStore(ObjectStore delegate, RetryPolicy policy) {
        this(delegate, policy, Sleeper.SYSTEM, System::nanoTime, java.util.concurrent.ThreadLocalRandom.current());
    }

    /**
     * @param sleeper waits between attempts
     * @param nanoClock monotonic time in nanoseconds, for the elapsed-time bound
     * @param random jitter source, shared by all threads (the default {@code ThreadLocalRandom}
     *     instance keeps its state per thread)
     */
    public RetryingObjectStore(ObjectStore delegate, RetryPolicy policy, Sleeper sleeper,
            LongSupplier nanoClock, RandomGenerator random) {
        super(delegate);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** How many retries (attempts after a first one) this store has made, for tests and logs. */
    public long retries() {
        return retries.get();
    }

    private <T> T retry(StoreOperation operation, String key, Supplier<T> call) {
        long start = nanoClock.getAsLong();
        int attempt = 1;
        while (true) {
            try {
                return call.get();
            } catch (TransientStoreException e) {
                long cap = policy.backoffCapNanos(attempt);
                long delay = cap == 0 ? 0 : jitter(cap);
                long elapsed = nanoClock.getAsLong() - start;
                if (attempt >= policy.maxAttempts() || elapsed + delay > policy.maxElapsed().toNanos()) {
                    throw new TransientStoreException(operation.name().toLowerCase(java.util.Locale.ROOT)
                            + (key == null ? "" : " of " + key) + " failed after " + attempt
                            + (attempt == 1 ? " attempt" : " attempts") + " in " + (elapsed / 1_000_000) + " ms: "
                            + e.getMessage(), e);
                }
                pause(delay, e);
                retries.incrementAndGet();
                attempt++;
            }
        }
    }

    private long jitter(long cap) {
        // Full jitter: uniform over [0, cap]. Spreads the retries of many clients hit by the
        // same outage (AWS architecture blog, "Exponential Backoff And Jitter").
        return random.nextLong(cap + 1);
    }

    private void pause(long nanos, TransientStoreException cause) {
        try {
            sleeper.sleep(nanos);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            StoreException e = new StoreException("interrupted while waiting to retry: " + cause.getMessage(), ie);
            e.addSuppressed(cause);
            throw e;
        }
    }

    @Override
    public void put(String key, byte[] data, PutOptions options) {
        retry(StoreOperation.PUT, key, () -> {
            delegate.put(key, data, options);
            return null;
        });
    }

    @Override
    public byte[] get(String key) {
        return retry(StoreOperation.GET, key, () -> delegate.get(key));
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return retry(StoreOperation.GET_RANGE, key, () -> delegate.getRange(key, offset, length));
    }

    @Override
    public void getRangeInto(String key, long offset, int length, byte[] dst, int dstOff) {
        retry(StoreOperation.GET_RANGE, key, () -> {
            delegate.getRangeInto(key, offset, length, dst, dstOff);
            return null;
        });
    }

    @Override
    public InputStream open(String key) {
        return retry(StoreOperation.OPEN, key, () -> delegate.open(key));
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return retry(StoreOperation.STAT, key, () -> delegate.stat(key));
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> consumer) {
        List<ObjectInfo> listing = retry(StoreOperation.LIST, prefix + "*", () -> {
            List<ObjectInfo> buffer = new ArrayList<>();
            delegate.list(prefix, buffer::add);
            return buffer;
        });
        listing.forEach(consumer);
    }

    @Override
    public void delete(String key) {
        retry(StoreOperation.DELETE, key, () -> {
            delegate.delete(key);
            return null;
        });
    }

    // The optional operations reuse the nearest basic operation's name (a version listing is a
    // LIST, setting retention a PUT, reading it a STAT), so metrics and faults need no new names.

    @Override
    public StoreCapabilities capabilities() {
        return retry(StoreOperation.STAT, null, delegate::capabilities);
    }

    @Override
    public void listVersions(String prefix, Consumer<ObjectVersion> consumer) {
        List<ObjectVersion> listing = retry(StoreOperation.LIST, prefix + "* (versions)", () -> {
            List<ObjectVersion> buffer = new ArrayList<>();
            delegate.listVersions(prefix, buffer::add);
            return buffer;
        });
        listing.forEach(consumer);
    }

    @Override
    public byte[] getVersion(String key, String versionId) {
        return retry(StoreOperation.GET, key, () -> delegate.getVersion(key, versionId));
    }

    @Override
    public byte[] getVersionRange(String key, String versionId, long offset, int length) {
        return retry(StoreOperation.GET_RANGE, key, () -> delegate.getVersionRange(key, versionId, offset, length));
    }

    @Override
    public void deleteVersion(String key, String versionId) {
        retry(StoreOperation.DELETE, key, () -> {
            delegate.deleteVersion(key, versionId);
            return null;
        });
    }

    @Override
    public Optional<Retention> retention(String key) {
        return retry(StoreOperation.STAT, key, () -> delegate.retention(key));
    }

    @Override
    public void extendRetention(String key, Retention retention) {
        retry(StoreOperation.PUT, key, () -> {
            delegate.extendRetention(key, retention);
            return null;
        });
    }

    @Override
    public String describe() {
        return delegate.describe() + " (retrying, " + policy.maxAttempts() + " attempts)";
    }
}
