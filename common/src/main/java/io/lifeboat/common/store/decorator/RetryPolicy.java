package io.lifeboat.common.store.decorator;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RetryingObjectStore} retries: exponential backoff with full jitter (the wait before
 * attempt {@code n+1} is uniform in {@code [0, min(maxDelay, initialDelay * 2^(n-1))]}), bounded
 * both by a number of attempts and by elapsed time.
 *
 * @param maxAttempts attempts in total, the first included (1 = no retry)
 * @param initialDelay cap of the first backoff
 * @param maxDelay cap of any single backoff
 * @param maxElapsed no retry starts once this much time has passed since the first attempt
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration maxElapsed) {

    /** 8 attempts, 200 ms doubling up to 20 s, at most 2 minutes in all. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(8, Duration.ofMillis(200), Duration.ofSeconds(20), Duration.ofMinutes(2));

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxElapsed, "maxElapsed");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || maxElapsed.isNegative()) {
            throw new IllegalArgumentException("retry delays must satisfy 0 <= initialDelay <= maxDelay and maxElapsed >= 0");
        }
    }

    /** The cap of the backoff after {@code failedAttempts} failures (1 = after the first). */
    public long backoffCapNanos(int failedAttempts) {
        long initial = initialDelay.toNanos();
        long max = maxDelay.toNanos();
        int shift = Math.min(failedAttempts - 1, 62);
        if (initial == 0) {
            return 0;
        }
        if (shift >= Long.numberOfLeadingZeros(initial) - 1) {
            return max;
        }
        return Math.min(max, initial << shift);
    }
}
