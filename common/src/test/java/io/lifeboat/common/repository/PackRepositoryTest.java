package io.lifeboat.common.repository;

import static io.lifeboat.common.repository.RepositoryFixtures.PASSWORD;
import static io.lifeboat.common.repository.RepositoryFixtures.randomBytes;
import static io.lifeboat.common.repository.RepositoryFixtures.spec;
import static io.lifeboat.common.repository.RepositoryFixtures.textBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.store.ObjectKind;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.local.LocalObjectStore;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackRepositoryTest {
    private static final InitOptions SMALL_PACKS = InitOptions.forTests().withPackSizeTarget(64 * 1024);

    private final InMemoryObjectStore store = new InMemoryObjectStore();

    private static int count(ObjectStore store, String prefix) {
        List<String> keys = new ArrayList<>();
        store.list(prefix, i -> keys.add(i.key()));
        return keys.size();
    }

    @Test
    void blobsSavedFromManyThreadsLoadBackAcrossSeveralPacks(@TempDir Path dir) throws Exception {
        ObjectStore local = new LocalObjectStore(dir);
        Map<BlobId, byte[]> saved = new ConcurrentHashMap<>();
        try (Repository repo = Repositories.init(local, PASSWORD, SMALL_PACKS)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        byte[] data = i % 2 == 0 ? randomBytes(3000 + i * 37, thread * 1000L + i) : textBytes(5000 + i, thread * 1000L + i);
                        BlobId id = repo.blobId(data);
                        assertThat(repo.saveBlob(BlobType.DATA, id, data, 0, data.length)).isTrue();
                        saved.put(id, data);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            repo.flush();
            for (Map.Entry<BlobId, byte[]> e : saved.entrySet()) {
                assertThat(repo.loadBlob(e.getKey())).isEqualTo(e.getValue());
            }
        }
        assertThat(count(local, RepositoryLayout.DATA)).isGreaterThan(3);
        try (Repository again = Repositories.open(local, PASSWORD)) {
            for (Map.Entry<BlobId, byte[]> e : saved.entrySet()) {
                assertThat(again.contains(e.getKey())).isTrue();
                assertThat(again.loadBlob(e.getKey())).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void loadBlobsReturnsEachBlobInTheOrderAskedAcrossPacksAndWithRepeats(@TempDir Path dir) {
        ObjectStore local = new LocalObjectStore(dir);
        List<BlobId> ids = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        try (Repository repo = Repositories.init(local, PASSWORD, SMALL_PACKS)) {
            for (int i = 0; i < 60; i++) {
                byte[] data = i % 2 == 0 ? randomBytes(4000 + i * 101, i) : textBytes(3000 + i, i);
                BlobId id = repo.blobId(data);
                repo.saveBlob(BlobType.DATA, id, data, 0, data.length);
                ids.add(id);
                datas.add(data);
            }
            // A blob larger than the coalescing limit on its own.
            byte[] huge = randomBytes(PackRepository.COALESCE_RANGE + 1, 99);
            ids.add(repo.blobId(huge));
            datas.add(huge);
            repo.saveBlob(BlobType.DATA, repo.blobId(huge), huge, 0, huge.length);
            repo.flush();
        }
        assertThat(count(local, RepositoryLayout.DATA)).isGreaterThan(3);
        List<Integer> order = new ArrayList<>();
        for (int i = ids.size() - 1; i >= 0; i -= 2) {
            order.add(i);
        }
        for (int i = 0; i < ids.size(); i += 2) {
            order.add(i);
        }
        order.add(5);
        order.add(5);
        try (Repository repo = Repositories.open(local, PASSWORD)) {
            List<byte[]> got = repo.loadBlobs(order.stream().map(ids::get).toList());
            assertThat(got).hasSize(order.size());
            for (int k = 0; k < order.size(); k++) {
                assertThat(got.get(k)).isEqualTo(datas.get(order.get(k)));
            }
            assertThat(repo.loadBlobs(List.of())).isEmpty();

            // The sink form: every position handed over once, with its own bytes, whatever the order.
            List<BlobId> asked = order.stream().map(ids::get).toList();
            byte[][] seen = new byte[asked.size()][];
            repo.loadBlobs(asked, (i, data, off, len) -> {
                assertThat(seen[i]).as("position %d handed over twice", i).isNull();
                seen[i] = java.util.Arrays.copyOfRange(data, off, off + len);
            });
            for (int k = 0; k < order.size(); k++) {
                assertThat(seen[k]).isEqualTo(datas.get(order.get(k)));
                assertThat(repo.blobLength(asked.get(k))).isEqualTo(datas.get(order.get(k)).length);
            }
            repo.loadBlobs(List.of(), (i, data, off, len) -> {
                throw new AssertionError("nothing to hand over");
            });
        }
    }

    @Test
    void loadBlobsFailsOnACorruptBlobInARangeAndOnAnUnknownBlob() {
        List<BlobId> ids = new ArrayList<>();
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            for (int i = 0; i < 10; i++) {
                byte[] data = randomBytes(1000 + i, i);
                ids.add(repo.blobId(data));
                repo.saveBlob(BlobType.DATA, data);
            }
            repo.flush();
        }
        List<String> packs = new ArrayList<>();
        store.list(RepositoryLayout.DATA, i -> packs.add(i.key()));
        assertThat(packs).hasSize(1);
        byte[] pack = store.get(packs.get(0));
        pack[1500] ^= 0x10;
        store.corrupt(packs.get(0), pack);
        try (Repository repo = Repositories.open(store, PASSWORD)) {
            assertThatThrownBy(() -> repo.loadBlobs(ids)).isInstanceOf(CorruptObjectException.class);
            List<BlobId> handed = new ArrayList<>();
            assertThatThrownBy(() -> repo.loadBlobs(ids, (i, data, off, len) -> handed.add(ids.get(i))))
                .isInstanceOf(CorruptObjectException.class);
            assertThat(handed).as("the corrupt blob is never handed over").hasSizeLessThan(ids.size());
            assertThatThrownBy(() -> repo.loadBlobs(List.of(repo.blobId(new byte[] {42})), (i, data, off, len) -> { }))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("not in the repository's index");
            assertThatThrownBy(() -> repo.loadBlobs(List.of(repo.blobId(new byte[] {42}))))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("not in the repository's index");
        }
    }

    @Test
    void blobsAreStoredInPacksOfKindPackAndMetadataIsMetadata() {
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            BlobId root = saveTree(repo, "root");
            repo.commitSnapshot(spec(root, "/data"));
        }
        List<String> keys = new ArrayList<>();
        store.list("", i -> keys.add(i.key()));
        for (String key : keys) {
            ObjectKind expected = key.startsWith(RepositoryLayout.DATA) ? ObjectKind.PACK : ObjectKind.METADATA;
            assertThat(store.putOptions(key)).as(key).contains(PutOptions.of(expected));
        }
    }

    @Test
    void sameBlobIsStoredOnceWithinAndAcrossSessions() {
        byte[] data = randomBytes(10_000, 7);
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            assertThat(repo.saveBlob(BlobType.DATA, data)).isTrue();
            assertThat(repo.saveBlob(BlobType.DATA, data)).isFalse();
            repo.commitSnapshot(spec(saveTree(repo, "t1"), "/a"));
        }
        int packs = count(store, RepositoryLayout.DATA);
        try (Repository repo = Repositories.open(store, PASSWORD)) {
            assertThat(repo.contains(repo.blobId(data))).isTrue();
            assertThat(repo.saveBlob(BlobType.DATA, data)).isFalse();
            repo.flush();
        }
        assertThat(count(store, RepositoryLayout.DATA)).isEqualTo(packs);
    }

    @Test
    void compressibleBlobsShrinkAndIncompressibleOnesDoNot() {
        try (PackRepository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            repo.saveBlob(BlobType.DATA, textBytes(1_000_000, 1));
            repo.flush();
            assertThat(repo.stats().packBytes()).isLessThan(100_000);
            assertThat(repo.stats().rawBytes()).isEqualTo(1_000_000);
            byte[] random = randomBytes(100_000, 2);
            repo.saveBlob(BlobType.DATA, random);
            repo.flush();
            assertThat(repo.loadBlob(repo.blobId(random))).isEqualTo(random);
        }
    }

    @Test
    void aSecondSessionSeesCommittedSnapshotsAndBlobs() {
        byte[] data = textBytes(20_000, 3);
        Snapshot committed;
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            repo.saveBlob(BlobType.DATA, data);
            committed = repo.commitSnapshot(spec(saveTree(repo, "tree"), "/etc"));
        }
        try (PackRepository repo = Repositories.open(store, PASSWORD)) {
            assertThat(repo.snapshots()).containsExactly(committed);
            Snapshot s = repo.snapshot(committed.id().hex().substring(0, 6));
            assertThat(s).isEqualTo(committed);
            assertThat(repo.snapshot("latest")).isEqualTo(committed);
            assertThat(new String(repo.loadBlob(s.root()))).isEqualTo("tree");
            assertThat(repo.loadBlob(repo.blobId(data))).isEqualTo(data);
            assertThat(repo.latest("files", List.of("/etc"))).contains(committed);
            assertThat(repo.latest("files", List.of("/other"))).isEmpty();
            assertThat(repo.latest("postgres", List.of("/etc"))).isEmpty();
            assertThat(repo.journal()).singleElement().satisfies(j -> {
                assertThat(j.error()).isNull();
                assertThat(j.entry().action()).isEqualTo("backup");
                assertThat(j.entry().objects()).contains(RepositoryLayout.snapshot(committed.id()));
                assertThat(j.entry().objects()).anyMatch(o -> o.startsWith(RepositoryLayout.DATA));
                assertThat(j.entry().objects()).anyMatch(o -> o.startsWith(RepositoryLayout.INDEX));
            });
        }
    }

    @Test
    void aSessionThatFlushesButNeverCommitsLeavesNoSnapshotButReusableBlobs() {
        byte[] data = randomBytes(50_000, 11);
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            repo.saveBlob(BlobType.DATA, data);
            repo.flush();
        }
        int packs = count(store, RepositoryLayout.DATA);
        try (Repository repo = Repositories.open(store, PASSWORD)) {
            assertThat(repo.snapshots()).isEmpty();
            assertThat(repo.saveBlob(BlobType.DATA, data)).isFalse();
            repo.flush();
            assertThat(repo.loadBlob(repo.blobId(data))).isEqualTo(data);
        }
        assertThat(count(store, RepositoryLayout.DATA)).isEqualTo(packs);
    }

    @Test
    void packsOfARunKilledBeforeFlushAreIndexedEveryFewPacks() {
        PackRepository repo = Repositories.init(store, PASSWORD, SMALL_PACKS);
        List<BlobId> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] data = randomBytes(4000, i);
            repo.saveBlob(BlobType.DATA, data);
            ids.add(repo.blobId(data));
        }
        // Wait until at least one index file is written, then "kill" the run without flushing.
        org.awaitility.Awaitility.await().until(() -> count(store, RepositoryLayout.INDEX) > 0);
        repo.close();
        try (Repository next = Repositories.open(store, PASSWORD)) {
            long reusable = ids.stream().filter(next::contains).count();
            assertThat(reusable).isGreaterThanOrEqualTo(PackRepository.INDEX_EVERY_PACKS);
        }
    }

    @Test
    void twoConcurrentSessionsBothCommitAndBothLoad() {
        byte[] shared = randomBytes(30_000, 5);
        byte[] onlyA = randomBytes(30_000, 6);
        byte[] onlyB = randomBytes(30_000, 8);
        Repositories.init(store, PASSWORD, InitOptions.forTests()).close();
        Snapshot a;
        Snapshot b;
        try (Repository ra = Repositories.open(store, PASSWORD); Repository rb = Repositories.open(store, PASSWORD)) {
            ra.saveBlob(BlobType.DATA, shared);
            rb.saveBlob(BlobType.DATA, shared);
            ra.saveBlob(BlobType.DATA, onlyA);
            rb.saveBlob(BlobType.DATA, onlyB);
            a = ra.commitSnapshot(spec(saveTree(ra, "A"), "/a"));
            b = rb.commitSnapshot(spec(saveTree(rb, "B"), "/b"));
        }
        try (Repository repo = Repositories.open(store, PASSWORD)) {
            assertThat(repo.snapshots()).containsExactlyInAnyOrder(a, b);
            for (byte[] d : List.of(shared, onlyA, onlyB)) {
                assertThat(repo.loadBlob(repo.blobId(d))).isEqualTo(d);
            }
            assertThat(new String(repo.loadBlob(a.root()))).isEqualTo("A");
            assertThat(new String(repo.loadBlob(b.root()))).isEqualTo("B");
        }
    }

    @Test
    void pendingBlobsCanBeLoadedBeforeAFlush() {
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            byte[] data = textBytes(1000, 9);
            repo.saveBlob(BlobType.TREE, data);
            assertThat(repo.contains(repo.blobId(data))).isTrue();
            assertThat(repo.loadBlob(repo.blobId(data))).isEqualTo(data);
        }
    }

    @Test
    void emptyBlobsRoundTrip() {
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            assertThat(repo.saveBlob(BlobType.DATA, new byte[0])).isTrue();
            repo.flush();
            assertThat(repo.loadBlob(repo.blobId(new byte[0]))).isEmpty();
        }
    }

    @Test
    void blobIdsAreKeyedSoTwoRepositoriesDiffer() {
        InMemoryObjectStore other = new InMemoryObjectStore();
        try (Repository r1 = Repositories.init(store, PASSWORD, InitOptions.forTests());
             Repository r2 = Repositories.init(other, PASSWORD, InitOptions.forTests())) {
            byte[] data = textBytes(100, 1);
            assertThat(r1.blobId(data)).isEqualTo(r1.blobId(data.clone()));
            assertThat(r1.blobId(data)).isNotEqualTo(r2.blobId(data));
            assertThat(r1.id()).isNotEqualTo(r2.id());
        }
    }

    @Test
    void wrongPasswordIsReportedAsSuch() {
        Repositories.init(store, PASSWORD, InitOptions.forTests()).close();
        assertThatThrownBy(() -> Repositories.open(store, "nope".toCharArray()))
            .isInstanceOf(WrongPasswordException.class)
            .hasMessage("wrong password: no key slot of the repository opens with it");
    }

    @Test
    void missingRepositoryIsReportedWithTheStore() {
        assertThatThrownBy(() -> Repositories.open(store, PASSWORD))
            .isInstanceOf(RepositoryException.class)
            .hasMessage("no Lifeboat repository at memory:memory");
    }

    @Test
    void initTwiceIsRefused() {
        Repositories.init(store, PASSWORD, InitOptions.forTests()).close();
        assertThatThrownBy(() -> Repositories.init(store, PASSWORD, InitOptions.forTests()))
            .isInstanceOf(RepositoryException.class)
            .hasMessageContaining("already exists");
    }

    @Test
    void snapshotLookupErrorsAreClear() {
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            assertThatThrownBy(() -> repo.snapshot("latest")).hasMessage("the repository has no snapshots");
            assertThatThrownBy(() -> repo.snapshot("abc")).hasMessageContaining("4 to 64");
            assertThatThrownBy(() -> repo.snapshot("abcd")).hasMessage("no snapshot abcd");
            assertThatThrownBy(() -> repo.loadBlob(repo.blobId(new byte[] {1}))).hasMessageContaining("not in the repository's index");
        }
    }

    @Test
    void corruptManifestIsSkippedByListingButNamedWhenAskedFor() {
        Snapshot good;
        Snapshot bad;
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            good = repo.commitSnapshot(spec(saveTree(repo, "g"), "/g"));
            bad = repo.commitSnapshot(spec(saveTree(repo, "b"), "/b"));
        }
        String key = RepositoryLayout.snapshot(bad.id());
        byte[] bytes = store.get(key);
        bytes[bytes.length - 3] ^= 1;
        store.corrupt(key, bytes);
        try (Repository repo = Repositories.open(store, PASSWORD)) {
            assertThat(repo.snapshots()).containsExactly(good);
            assertThatThrownBy(() -> repo.snapshot(bad.id().hex()))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(bad.id().hex());
        }
    }

    @Test
    void corruptBlobIsReportedAsCorrupt() {
        byte[] data = randomBytes(5000, 1);
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            repo.saveBlob(BlobType.DATA, data);
            repo.flush();
        }
        List<String> packs = new ArrayList<>();
        store.list(RepositoryLayout.DATA, i -> packs.add(i.key()));
        byte[] pack = store.get(packs.get(0));
        pack[100] ^= 0x40;
        store.corrupt(packs.get(0), pack);
        try (Repository repo = Repositories.open(store, PASSWORD)) {
            assertThatThrownBy(() -> repo.loadBlob(repo.blobId(data)))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(packs.get(0));
        }
    }

    @Test
    void commitRefusesARootThatWasNeverSaved() {
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            BlobId ghost = repo.blobId(new byte[] {42});
            assertThatThrownBy(() -> repo.commitSnapshot(spec(ghost, "/x"))).hasMessageContaining("not stored");
        }
    }

    @Test
    void initAfterAnInterruptedInitSucceedsAndOpens() {
        Repositories.init(store, PASSWORD, InitOptions.forTests()).close();
        store.delete(RepositoryLayout.CONFIG); // as if init died before writing its last object
        assertThatThrownBy(() -> Repositories.open(store, PASSWORD)).hasMessageStartingWith("no Lifeboat repository at");
        Repositories.init(store, PASSWORD, InitOptions.forTests()).close();
        try (Repository repo = Repositories.open(store, PASSWORD)) {
            assertThat(repo.snapshots()).isEmpty();
        }
        assertThat(count(store, RepositoryLayout.KEYS)).isEqualTo(1);
    }

    private static BlobId saveTree(Repository repo, String content) {
        byte[] b = content.getBytes();
        repo.saveBlob(BlobType.TREE, b);
        return repo.blobId(b);
    }
}
