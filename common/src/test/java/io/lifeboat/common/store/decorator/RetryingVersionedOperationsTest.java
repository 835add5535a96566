package io.lifeboat.common.store.decorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.store.ObjectLockMode;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectVersion;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.Retention;
import io.lifeboat.common.store.StoreCapabilities;
import io.lifeboat.common.store.TransientStoreException;
import io.lifeboat.common.store.UnsupportedStoreOperationException;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The optional version and Object Lock operations pass through decorators and are retried like the others. */
class RetryingVersionedOperationsTest {
    private final InMemoryObjectStore backing = InMemoryObjectStore.versioned();
    private final FakeTime time = new FakeTime();

    /** Fails the first call of every optional operation with a transient error. */
    private static final class FlakyOnce extends ForwardingObjectStore {
        final AtomicInteger failures = new AtomicInteger();
        private final java.util.Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();

        FlakyOnce(ObjectStore delegate) {
            super(delegate);
        }

        private void maybeFail(String op) {
            if (failed.add(op)) {
                failures.incrementAndGet();
                throw new TransientStoreException(op + ": 503 SlowDown", null);
            }
        }

        @Override
        public void listVersions(String prefix, Consumer<ObjectVersion> consumer) {
            if (!failed.contains("listVersions")) {
                consumer.accept(new ObjectVersion("partial", "v0", true, false, 0, Instant.EPOCH)); // fed, then the page fails
            }
            maybeFail("listVersions");
            super.listVersions(prefix, consumer);
        }

        @Override
        public byte[] getVersion(String key, String versionId) {
            maybeFail("getVersion");
            return super.getVersion(key, versionId);
        }

        @Override
        public Optional<Retention> retention(String key) {
            maybeFail("retention");
            return super.retention(key);
        }

        @Override
        public void extendRetention(String key, Retention retention) {
            maybeFail("extendRetention");
            super.extendRetention(key, retention);
        }
    }

    @Test
    void transientFailuresOfTheOptionalOperationsAreRetriedAndAListingIsSeenOnce() {
        Retention r = new Retention(ObjectLockMode.COMPLIANCE, Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS));
        backing.put("snapshots/a", new byte[] {7}, PutOptions.DEFAULT.withRetention(r));
        FlakyOnce flaky = new FlakyOnce(backing);
        RetryingObjectStore store = new RetryingObjectStore(flaky,
            new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMinutes(1)), time, time::nanoTime, new SplittableRandom(1));

        assertThat(store.capabilities()).isEqualTo(StoreCapabilities.VERSIONED_WITH_LOCK);
        List<ObjectVersion> versions = new ArrayList<>();
        store.listVersions("snapshots/", versions::add);
        assertThat(versions).extracting(ObjectVersion::key).containsExactly("snapshots/a");
        assertThat(store.getVersion("snapshots/a", versions.get(0).versionId())).containsExactly(7);
        assertThat(store.retention("snapshots/a")).hasValue(r);
        Retention later = new Retention(ObjectLockMode.COMPLIANCE, r.retainUntil().plusSeconds(60));
        store.extendRetention("snapshots/a", later);
        assertThat(backing.retention("snapshots/a")).hasValue(later);
        assertThat(flaky.failures.get()).isEqualTo(4);
        assertThat(store.retries()).isEqualTo(4);
    }

    @Test
    void unsupportedIsPermanentAndNotRetried() {
        RetryingObjectStore store = new RetryingObjectStore(new InMemoryObjectStore(),
            new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMinutes(1)), time, time::nanoTime, new SplittableRandom(1));
        assertThatThrownBy(() -> store.listVersions("", v -> { })).isInstanceOf(UnsupportedStoreOperationException.class);
        assertThat(store.retries()).isZero();
        assertThat(new MeteredObjectStore(store, new InMemoryStoreMetrics()).capabilities()).isEqualTo(StoreCapabilities.NONE);
    }
}
