package io.lifeboat.common.store.decorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.TransientStoreException;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryingObjectStoreTest {
    private final InMemoryObjectStore backing = new InMemoryObjectStore();
    private final FakeTime time = new FakeTime();
    private final FaultInjectingObjectStore faulty = FaultInjectingObjectStore.builder(backing).build();

    private RetryingObjectStore retrying(RetryPolicy policy) {
        return retrying(policy, new SplittableRandom(7));
    }

    private RetryingObjectStore retrying(RetryPolicy policy, RandomGenerator random) {
        return new RetryingObjectStore(faulty, policy, time, time::nanoTime, random);
    }

    private static RetryPolicy policy(int attempts) {
        return new RetryPolicy(attempts, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMinutes(10));
    }

    @Test
    void transientFailuresAreRetriedUntilTheCallSucceeds() {
        backing.put("k", new byte[] {1, 2, 3});
        faulty.failNext(StoreOperation.GET, k -> true, 3, FaultInjectingObjectStore.Timing.BEFORE);
        RetryingObjectStore store = retrying(policy(5));

        assertThat(store.get("k")).containsExactly(1, 2, 3);
        assertThat(store.retries()).isEqualTo(3);
        assertThat(faulty.calls()).isEqualTo(4);
        assertThat(time.sleeps).hasSize(3);
    }

    @Test
    void rangeReadsIntoTheCallersArrayAreRetriedToo() {
        backing.put("k", new byte[] {1, 2, 3, 4});
        faulty.failNext(StoreOperation.GET_RANGE, k -> true, 2, FaultInjectingObjectStore.Timing.BEFORE);
        RetryingObjectStore store = retrying(policy(5));
        byte[] dst = new byte[3];

        store.getRangeInto("k", 1, 2, dst, 1);
        assertThat(dst).containsExactly(0, 2, 3);
        assertThat(store.retries()).isEqualTo(2);
        assertThat(faulty.calls()).isEqualTo(3);
    }

    @Test
    void givesUpAfterMaxAttemptsWithATransientErrorNamingThem() {
        backing.put("k", new byte[1]);
        faulty.failNext(StoreOperation.GET, k -> true, 10, FaultInjectingObjectStore.Timing.BEFORE);
        RetryingObjectStore store = retrying(policy(4));

        assertThatThrownBy(() -> store.get("k"))
                .isInstanceOf(TransientStoreException.class)
                .hasMessageContaining("get of k failed after 4 attempts")
                .hasCauseInstanceOf(TransientStoreException.class);
        assertThat(faulty.calls()).isEqualTo(4);
        assertThat(time.sleeps).hasSize(3);
    }

    @Test
    void notFoundIsNeverRetried() {
        RetryingObjectStore store = retrying(policy(5));
        assertThatThrownBy(() -> store.get("missing")).isInstanceOf(ObjectNotFoundException.class);
        assertThat(store.retries()).isZero();
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void permanentErrorsAreNeverRetried() {
        int[] calls = {0};
        ObjectStore denying = new ForwardingObjectStore(backing) {
            @Override
            public byte[] get(String key) {
                calls[0]++;
                throw new StoreException("403 access denied");
            }
        };
        RetryingObjectStore store = new RetryingObjectStore(denying, policy(5), time, time::nanoTime, new SplittableRandom(1));
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreException.class)
                .isNotInstanceOf(TransientStoreException.class).hasMessage("403 access denied");
        assertThat(calls[0]).isEqualTo(1);
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void backoffIsFullJitterBoundedByTheDoublingCapAndTheMaximum() {
        RetryPolicy policy = new RetryPolicy(12, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofHours(1));
        backing.put("k", new byte[1]);
        for (int run = 0; run < 50; run++) {
            time.sleeps.clear();
            faulty.failNext(StoreOperation.GET, k -> true, 11, FaultInjectingObjectStore.Timing.BEFORE);
            retrying(policy, new SplittableRandom(run)).get("k");
            assertThat(time.sleeps).hasSize(11);
            for (int i = 0; i < time.sleeps.size(); i++) {
                long cap = Math.min(Duration.ofSeconds(2).toNanos(), Duration.ofMillis(100).toNanos() << i);
                assertThat(time.sleeps.get(i)).isBetween(0L, cap);
            }
        }
        assertThat(policy.backoffCapNanos(1)).isEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(policy.backoffCapNanos(2)).isEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(policy.backoffCapNanos(6)).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(policy.backoffCapNanos(500)).isEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void jitterActuallyVaries() {
        RetryPolicy policy = new RetryPolicy(30, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofHours(1));
        backing.put("k", new byte[1]);
        faulty.failNext(StoreOperation.GET, k -> true, 29, FaultInjectingObjectStore.Timing.BEFORE);
        retrying(policy).get("k");
        assertThat(time.sleeps.stream().distinct().count()).isGreaterThan(20);
    }

    @Test
    void stopsWhenTheNextWaitWouldExceedMaxElapsed() {
        // Every wait is exactly the cap (a random source that always returns the maximum).
        RandomGenerator max = new RandomGenerator() {
            @Override
            public long nextLong() {
                return Long.MAX_VALUE;
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
        RetryPolicy policy = new RetryPolicy(100, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(3500));
        faulty.failNext(StoreOperation.STAT, k -> true, 100, FaultInjectingObjectStore.Timing.BEFORE);
        assertThatThrownBy(() -> retrying(policy, max).stat("k"))
                .isInstanceOf(TransientStoreException.class).hasMessageContaining("after 4 attempts");
        assertThat(time.sleeps).containsExactly(1_000_000_000L, 1_000_000_000L, 1_000_000_000L);
    }

    @Test
    void aListingIsDeliveredOnceEvenIfAnAttemptFailedHalfWay() {
        for (int i = 0; i < 10; i++) {
            backing.put("data/" + i, new byte[i]);
        }
        ObjectStore failingMidway = new ForwardingObjectStore(backing) {
            int attempts;

            @Override
            public void list(String prefix, java.util.function.Consumer<ObjectInfo> consumer) {
                attempts++;
                int[] n = {0};
                backing.list(prefix, info -> {
                    if (attempts == 1 && ++n[0] == 5) {
                        throw new TransientStoreException("connection reset", null);
                    }
                    consumer.accept(info);
                });
            }
        };
        RetryingObjectStore store = new RetryingObjectStore(failingMidway, policy(3), time, time::nanoTime, new SplittableRandom(1));
        List<String> seen = new ArrayList<>();
        store.list("data/", i -> seen.add(i.key()));
        assertThat(seen).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void aPutWhoseResponseWasLostIsRetriedAndTheObjectIsThere() {
        faulty.failNext(StoreOperation.PUT, k -> true, 2, FaultInjectingObjectStore.Timing.AFTER);
        RetryingObjectStore store = retrying(policy(5));
        store.put("snapshots/1", new byte[] {9});
        assertThat(backing.get("snapshots/1")).containsExactly(9);
        assertThat(store.retries()).isEqualTo(2);
    }

    @Test
    void interruptionDuringBackoffStopsWithAPermanentErrorAndKeepsTheFlag() {
        faulty.failNext(StoreOperation.DELETE, k -> true, 1, FaultInjectingObjectStore.Timing.BEFORE);
        Sleeper interrupted = nanos -> {
            throw new InterruptedException();
        };
        RetryingObjectStore store = new RetryingObjectStore(faulty, policy(5), interrupted, time::nanoTime, new SplittableRandom(1));
        try {
            assertThatThrownBy(() -> store.delete("k")).isInstanceOf(StoreException.class)
                    .isNotInstanceOf(TransientStoreException.class).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void policyRejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
