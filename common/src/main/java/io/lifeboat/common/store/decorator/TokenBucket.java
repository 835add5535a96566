package io.lifeboat.common.store.decorator;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A token bucket of bytes: {@code rate} tokens a second flow in, up to {@code burst}. A caller
 * takes what it needs at once and, if that leaves the bucket in debt, sleeps until the debt is
 * paid. Requests larger than the burst are fine: the caller waits {@code debt / rate}, so the
 * long-run rate holds whatever the request sizes.
 *
 * <p>Threading: safe for concurrent use. Reservations are made under a lock, sleeps outside it;
 * concurrent callers queue behind each other's debt, so the rate is shared, not per thread.
 */
public final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long rate;
    private final long burst;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private double tokens;
    private long last;

    /**
     * @param bytesPerSecond the sustained rate, positive
     * @param burstBytes how many bytes may go at once after a quiet period, positive
     */
    public TokenBucket(long bytesPerSecond, long burstBytes, LongSupplier nanoClock, Sleeper sleeper) {
        if (bytesPerSecond <= 0 || burstBytes <= 0) {
            throw new IllegalArgumentException("token bucket rate and burst must be positive");
        }
        this.rate = bytesPerSecond;
        this.burst = burstBytes;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.last = nanoClock.getAsLong();
        this.tokens = burstBytes;
    }

    public long bytesPerSecond() {
        return rate;
    }

    /** Takes {@code bytes} tokens, sleeping while the bucket is in debt. */
    public void acquire(long bytes) throws InterruptedException {
        if (bytes <= 0) {
            return;
        }
        sleeper.sleep(reserve(bytes));
    }

    /** Takes {@code bytes} tokens now and returns how long the caller must wait, in nanoseconds. */
    synchronized long reserve(long bytes) {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (double) (now - last) * rate / NANOS_PER_SECOND);
        last = now;
        tokens -= bytes;
        if (tokens >= 0) {
            return 0;
        }
        return (long) Math.ceil(-tokens * NANOS_PER_SECOND / rate);
    }
}
