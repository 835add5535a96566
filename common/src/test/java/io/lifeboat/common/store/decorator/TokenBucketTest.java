package io.lifeboat.common.store.decorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;
    private final FakeTime time = new FakeTime();

    @Test
    void aFullBucketLetsTheBurstThroughWithoutWaiting() throws Exception {
        TokenBucket bucket = new TokenBucket(1000, 4000, time::nanoTime, time);
        bucket.acquire(4000);
        assertThat(time.totalSlept()).isZero();
    }

    @Test
    void debtIsPaidAtTheRate() throws Exception {
        TokenBucket bucket = new TokenBucket(1000, 1000, time::nanoTime, time);
        bucket.acquire(1000);
        bucket.acquire(3000);
        assertThat(time.totalSlept()).isEqualTo(3 * SECOND);
    }

    @Test
    void theLongRunRateHoldsForAnyRequestSizes() throws Exception {
        TokenBucket bucket = new TokenBucket(1024 * 1024, 64 * 1024, time::nanoTime, time);
        long total = 0;
        for (int i = 1; i <= 200; i++) {
            int n = (i * 7919) % 300_000 + 1;
            bucket.acquire(n);
            total += n;
        }
        // Elapsed time is (bytes - burst) / rate, to within rounding of one nanosecond per call.
        long expected = (long) ((double) (total - 64 * 1024) * SECOND / (1024 * 1024));
        assertThat(time.totalSlept()).isBetween(expected - 200, expected + 200);
    }

    @Test
    void quietTimeRefillsOnlyUpToTheBurst() throws Exception {
        TokenBucket bucket = new TokenBucket(1000, 2000, time::nanoTime, time);
        bucket.acquire(2000);
        time.advance(3600 * SECOND);
        bucket.acquire(2000);
        assertThat(time.totalSlept()).isZero();
        bucket.acquire(500);
        assertThat(time.totalSlept()).isEqualTo(SECOND / 2);
    }

    @Test
    void rejectsNonPositiveRates() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, time::nanoTime, time)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, time::nanoTime, time)).isInstanceOf(IllegalArgumentException.class);
    }
}
