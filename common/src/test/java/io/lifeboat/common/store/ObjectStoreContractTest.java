package io.lifeboat.common.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ObjectStore} adapter must show. An adapter's test extends this
 * class and supplies a fresh, empty store; the S3 adapter's integration test reuses it through
 * common's test-jar.
 */
public abstract class ObjectStoreContractTest {

    protected ObjectStore store;

    /** A new, empty store; called before every test. */
    protected abstract ObjectStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        store.list(prefix, info -> keys.add(info.key()));
        return keys;
    }

    @Test
    void putThenGetReturnsTheSameBytes() {
        byte[] data = random(100_000, 1);
        store.put("data/ab/abcdef", data, PutOptions.of(ObjectKind.PACK));
        assertThat(store.get("data/ab/abcdef")).isEqualTo(data);
    }

    @Test
    void emptyObjectsAreStored() {
        store.put("empty", new byte[0]);
        assertThat(store.get("empty")).isEmpty();
        assertThat(store.stat("empty")).hasValueSatisfying(i -> assertThat(i.size()).isZero());
    }

    @Test
    void putReplacesAnExistingObject() {
        store.put("config", "one".getBytes(UTF_8));
        store.put("config", "second".getBytes(UTF_8));
        assertThat(new String(store.get("config"), UTF_8)).isEqualTo("second");
        assertThat(keys("config")).containsExactly("config");
    }

    @Test
    void getRangeReadsTheRequestedBytes() {
        byte[] data = random(10_000, 2);
        store.put("k/range", data);
        assertThat(store.getRange("k/range", 0, 10)).isEqualTo(java.util.Arrays.copyOfRange(data, 0, 10));
        assertThat(store.getRange("k/range", 9_990, 10)).isEqualTo(java.util.Arrays.copyOfRange(data, 9_990, 10_000));
        assertThat(store.getRange("k/range", 1234, 0)).isEmpty();
        assertThat(store.getRange("k/range", 0, 10_000)).isEqualTo(data);
    }

    @Test
    void getRangePastTheEndFails() {
        store.put("k/range", random(100, 3));
        assertThatThrownBy(() -> store.getRange("k/range", 95, 10)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.getRange("k/range", 200, 1)).isInstanceOf(StoreException.class);
    }

    @Test
    void getRangeIntoFillsTheCallersArrayAtItsOffset() {
        byte[] data = random(3_000_000, 5); // more than one 1 MiB slice of the local store
        store.put("k/range", data);
        byte[] dst = new byte[3_000_010];
        java.util.Arrays.fill(dst, (byte) 7);
        store.getRangeInto("k/range", 1, 2_999_999, dst, 10);
        assertThat(java.util.Arrays.copyOfRange(dst, 10, 3_000_009)).isEqualTo(java.util.Arrays.copyOfRange(data, 1, 3_000_000));
        assertThat(java.util.Arrays.copyOfRange(dst, 0, 10)).containsOnly((byte) 7);
        assertThat(dst[3_000_009]).isEqualTo((byte) 7);
        store.getRangeInto("k/range", 5, 0, dst, 0);
        assertThat(dst[0]).isEqualTo((byte) 7);
    }

    @Test
    void getRangeIntoPastTheEndOrOutsideTheArrayFails() {
        store.put("k/range", random(100, 6));
        assertThatThrownBy(() -> store.getRangeInto("k/range", 95, 10, new byte[10], 0)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.getRangeInto("k/range", 0, 10, new byte[10], 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> store.getRangeInto("missing", 0, 1, new byte[1], 0)).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void openStreamsTheObject() throws Exception {
        byte[] data = random(300_000, 4);
        store.put("k/stream", data);
        try (InputStream in = store.open("k/stream")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void statGivesSizeOrEmpty() {
        store.put("snapshots/abc", random(77, 5));
        assertThat(store.stat("snapshots/abc")).hasValueSatisfying(i -> {
            assertThat(i.key()).isEqualTo("snapshots/abc");
            assertThat(i.size()).isEqualTo(77);
            assertThat(i.lastModified()).isNotNull();
        });
        assertThat(store.stat("snapshots/missing")).isEmpty();
        assertThat(store.exists("snapshots/abc")).isTrue();
        assertThat(store.exists("snapshots/missing")).isFalse();
    }

    @Test
    void listReturnsExactlyTheKeysWithThePrefix() {
        store.put("data/aa/aa01", new byte[1]);
        store.put("data/aa/aa02", new byte[2]);
        store.put("data/ab/ab01", new byte[3]);
        store.put("index/1", new byte[4]);
        store.put("indexes", new byte[5]);
        store.put("config", new byte[6]);
        assertThat(keys("data/")).containsExactlyInAnyOrder("data/aa/aa01", "data/aa/aa02", "data/ab/ab01");
        assertThat(keys("data/aa/")).containsExactlyInAnyOrder("data/aa/aa01", "data/aa/aa02");
        assertThat(keys("data/aa/aa0")).containsExactlyInAnyOrder("data/aa/aa01", "data/aa/aa02");
        assertThat(keys("index/")).containsExactly("index/1");
        assertThat(keys("index")).containsExactlyInAnyOrder("index/1", "indexes");
        assertThat(keys("nothing/")).isEmpty();
        assertThat(keys("")).hasSize(6);
        List<ObjectInfo> infos = new ArrayList<>();
        store.list("data/ab/", infos::add);
        assertThat(infos).singleElement().satisfies(i -> assertThat(i.size()).isEqualTo(3));
    }

    @Test
    void deleteRemovesAndIsIdempotent() {
        store.put("locks/lease", new byte[1]);
        store.delete("locks/lease");
        assertThat(store.exists("locks/lease")).isFalse();
        assertThat(keys("locks/")).isEmpty();
        store.delete("locks/lease");
        store.delete("never/existed");
    }

    @Test
    void missingKeysFailWithObjectNotFound() {
        assertThatThrownBy(() -> store.get("missing")).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.getRange("missing", 0, 1)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.open("missing").close()).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void describeIsNotEmpty() {
        assertThat(store.describe()).isNotBlank();
    }

    @Test
    void concurrentPutsOfDistinctAndSameKeysAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                futures.add(pool.submit(() -> store.put("data/" + String.format("%02x", n % 4) + "/obj" + n, random(5_000, n))));
                futures.add(pool.submit(() -> store.put("shared", random(20_000, 1000 + n % 2))));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(keys("data/")).hasSize(64);
        for (int i = 0; i < 64; i++) {
            assertThat(store.get("data/" + String.format("%02x", i % 4) + "/obj" + i)).isEqualTo(random(5_000, i));
        }
        // One whole write wins; never a mix of two.
        assertThat(store.get("shared")).isIn(random(20_000, 1000), random(20_000, 1001));
    }

    // ------------------------------------------------------------ optional: versions and Object Lock
    // Each test runs only where the adapter declares the capability; the others check that an
    // adapter without it says so clearly instead of half-working.

    private List<ObjectVersion> versions(String prefix) {
        List<ObjectVersion> out = new ArrayList<>();
        store.listVersions(prefix, out::add);
        return out;
    }

    /** A retain-until a little in the future, whole seconds (S3 keeps no finer precision). */
    private static Instant inSeconds(long seconds) {
        return Instant.now().plus(Duration.ofSeconds(seconds)).truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void aStoreWithoutVersioningSaysSo() {
        Assumptions.assumeFalse(store.capabilities().versioning(), "the store keeps versions");
        assertThatThrownBy(() -> store.listVersions("", v -> { })).isInstanceOf(UnsupportedStoreOperationException.class);
        assertThatThrownBy(() -> store.getVersion("k", "v1")).isInstanceOf(UnsupportedStoreOperationException.class);
        assertThatThrownBy(() -> store.deleteVersion("k", "v1")).isInstanceOf(UnsupportedStoreOperationException.class);
    }

    @Test
    void aStoreWithoutObjectLockRefusesRetentionInsteadOfIgnoringIt() {
        Assumptions.assumeFalse(store.capabilities().objectLock(), "the store has Object Lock");
        Retention r = new Retention(ObjectLockMode.GOVERNANCE, inSeconds(60));
        assertThatThrownBy(() -> store.put("data/locked", new byte[1], PutOptions.of(ObjectKind.PACK).withRetention(r)))
            .isInstanceOf(UnsupportedStoreOperationException.class);
        assertThat(store.exists("data/locked")).isFalse();
        store.put("plain", new byte[1]);
        assertThatThrownBy(() -> store.retention("plain")).isInstanceOf(UnsupportedStoreOperationException.class);
        assertThatThrownBy(() -> store.extendRetention("plain", r)).isInstanceOf(UnsupportedStoreOperationException.class);
    }

    @Test
    void overwrittenAndDeletedDataStaysReadableByVersion() {
        Assumptions.assumeTrue(store.capabilities().versioning(), "the store keeps no versions");
        store.put("snapshots/v", "one".getBytes(UTF_8));
        store.put("snapshots/v", "two".getBytes(UTF_8));
        store.delete("snapshots/v");
        assertThat(store.exists("snapshots/v")).isFalse();
        assertThat(keys("snapshots/")).isEmpty();

        List<ObjectVersion> vs = versions("snapshots/");
        assertThat(vs).hasSize(3).allSatisfy(v -> assertThat(v.key()).isEqualTo("snapshots/v"));
        assertThat(vs.get(0).deleteMarker()).isTrue();
        assertThat(vs.get(0).latest()).isTrue();
        assertThat(vs.subList(1, 3)).noneMatch(ObjectVersion::deleteMarker).noneMatch(ObjectVersion::latest);
        assertThat(new String(store.getVersion("snapshots/v", vs.get(1).versionId()), UTF_8)).isEqualTo("two");
        assertThat(new String(store.getVersion("snapshots/v", vs.get(2).versionId()), UTF_8)).isEqualTo("one");

        // Removing the delete marker brings the newest version back.
        store.deleteVersion("snapshots/v", vs.get(0).versionId());
        assertThat(new String(store.get("snapshots/v"), UTF_8)).isEqualTo("two");
        assertThatThrownBy(() -> store.getVersion("snapshots/v", "no-such-version-id")).isInstanceOf(StoreException.class);
    }

    @Test
    void aLockedVersionCannotBeDeletedButAPlainDeleteOnlyHidesIt() {
        Assumptions.assumeTrue(store.capabilities().objectLock(), "the store has no Object Lock");
        Retention r = new Retention(ObjectLockMode.COMPLIANCE, inSeconds(30));
        byte[] data = random(2_000, 9);
        store.put("data/aa/locked", data, PutOptions.of(ObjectKind.PACK).withRetention(r));
        assertThat(store.retention("data/aa/locked")).hasValue(r);
        String id = versions("data/aa/locked").get(0).versionId();

        assertThatThrownBy(() -> store.deleteVersion("data/aa/locked", id)).isInstanceOf(StoreException.class);
        store.delete("data/aa/locked"); // S3 allows this: it only adds a delete marker
        assertThat(store.exists("data/aa/locked")).isFalse();
        assertThat(store.getVersion("data/aa/locked", id)).isEqualTo(data);
    }

    @Test
    void retentionIsReadAndExtendedButNeverShortened() {
        Assumptions.assumeTrue(store.capabilities().objectLock(), "the store has no Object Lock");
        store.put("index/plain", new byte[3]);
        assertThat(store.retention("index/plain")).isEmpty();

        Retention first = new Retention(ObjectLockMode.COMPLIANCE, inSeconds(20));
        store.put("index/locked", new byte[3], PutOptions.DEFAULT.withRetention(first));
        Retention later = new Retention(ObjectLockMode.COMPLIANCE, inSeconds(40));
        store.extendRetention("index/locked", later);
        assertThat(store.retention("index/locked")).hasValue(later);
        assertThatThrownBy(() -> store.extendRetention("index/locked", first)).isInstanceOf(StoreException.class);
        assertThat(store.retention("index/locked")).hasValue(later);

        store.extendRetention("index/plain", first);
        assertThat(store.retention("index/plain")).hasValue(first);
        assertThatThrownBy(() -> store.retention("index/missing")).isInstanceOf(ObjectNotFoundException.class);
    }
}
