package io.lifeboat.common.repository;

import static io.lifeboat.common.repository.RepositoryFixtures.PASSWORD;
import static io.lifeboat.common.repository.RepositoryFixtures.randomBytes;
import static io.lifeboat.common.repository.RepositoryFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepositoryCheckerTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final List<BlobId> blobs = new ArrayList<>();

    @BeforeEach
    void createRepository() {
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests().withPackSizeTarget(32 * 1024))) {
            for (int i = 0; i < 30; i++) {
                byte[] data = randomBytes(6000, i);
                repo.saveBlob(BlobType.DATA, data);
                blobs.add(repo.blobId(data));
            }
            byte[] tree = "root".getBytes();
            repo.saveBlob(BlobType.TREE, tree);
            // the victim pack is chosen by (random) pack id and may be the one holding the tree
            blobs.add(repo.blobId(tree));
            repo.commitSnapshot(spec(repo.blobId(tree), "/x"));
        }
    }

    private List<String> packKeys() {
        List<String> keys = new ArrayList<>();
        store.list(RepositoryLayout.DATA, i -> keys.add(i.key()));
        keys.sort(null);
        return keys;
    }

    @Test
    void aHealthyRepositoryChecksClean() {
        try (PackRepository repo = Repositories.open(store, PASSWORD)) {
            RepositoryChecker checker = new RepositoryChecker(repo);
            assertThat(checker.checkMetadata().problems()).isEmpty();
            CheckReport data = checker.readData(100);
            assertThat(data.problems()).isEmpty();
            assertThat(data.packsRead()).isEqualTo(packKeys().size());
            assertThat(data.blobsRead()).isEqualTo(31);
            assertThat(data.ok()).isTrue();
            RepositoryStats stats = repo.stats();
            assertThat(stats.blobs()).isEqualTo(31);
            assertThat(stats.packs()).isEqualTo(packKeys().size());
            assertThat(stats.snapshots()).isEqualTo(1);
        }
    }

    @Test
    void aFlippedBitInAPackIsFoundByReadDataWithItsBlobs() {
        String victim = packKeys().get(1);
        byte[] pack = store.get(victim);
        pack[pack.length / 3] ^= 0x01;
        store.corrupt(victim, pack);
        try (PackRepository repo = Repositories.open(store, PASSWORD)) {
            RepositoryChecker checker = new RepositoryChecker(repo);
            assertThat(checker.checkMetadata().ok()).isTrue();
            CheckReport report = checker.readData(100);
            assertThat(report.ok()).isFalse();
            assertThat(report.damagedPacks()).singleElement().satisfies(d -> {
                assertThat(d.key()).isEqualTo(victim);
                assertThat(d.blobs()).isNotEmpty().allSatisfy(b -> assertThat(blobs).contains(b));
            });
        }
    }

    @Test
    void packsOfDifferentSizesReadIntoOneReusedBufferAllVerify() {
        // Large packs first, then small ones: a worker's buffer then holds stale bytes past the end
        // of the smaller pack, which must not be hashed or parsed.
        try (Repository repo = Repositories.open(store, PASSWORD)) {
            for (int size : new int[] {60_000, 50_000, 3_000, 1_000, 200}) {
                for (int i = 0; i < 6; i++) {
                    repo.saveBlob(BlobType.DATA, randomBytes(size, size + i));
                }
                repo.flush();
            }
        }
        try (PackRepository repo = Repositories.open(store, PASSWORD)) {
            CheckReport data = new RepositoryChecker(repo).readData(100);
            assertThat(data.problems()).isEmpty();
            assertThat(data.packsRead()).isEqualTo(packKeys().size());
            assertThat(data.blobsRead()).isEqualTo(31 + 30);
        }
    }

    @Test
    void aMissingPackIsAMetadataError() {
        String victim = packKeys().get(0);
        store.delete(victim);
        try (PackRepository repo = Repositories.open(store, PASSWORD)) {
            CheckReport report = new RepositoryChecker(repo).checkMetadata();
            assertThat(report.errors()).singleElement().satisfies(p -> {
                assertThat(p.object()).isEqualTo(victim);
                assertThat(p.message()).contains("missing");
            });
        }
    }

    @Test
    void aTruncatedPackIsASizeMismatch() {
        String victim = packKeys().get(0);
        byte[] pack = store.get(victim);
        store.corrupt(victim, java.util.Arrays.copyOf(pack, pack.length - 1));
        try (PackRepository repo = Repositories.open(store, PASSWORD)) {
            assertThat(new RepositoryChecker(repo).checkMetadata().errors())
                .anySatisfy(p -> assertThat(p.message()).contains("the index says"));
        }
    }

    @Test
    void unindexedPacksAndCorruptSnapshotsAreReported() {
        store.put(RepositoryLayout.DATA + "ab/" + "ab".repeat(32), new byte[10]);
        List<String> snaps = new ArrayList<>();
        store.list(RepositoryLayout.SNAPSHOTS, i -> snaps.add(i.key()));
        store.corrupt(snaps.get(0), new byte[] {1, 2, 3});
        try (PackRepository repo = Repositories.open(store, PASSWORD)) {
            CheckReport report = new RepositoryChecker(repo).checkMetadata();
            assertThat(report.problems()).anySatisfy(p -> {
                assertThat(p.severity()).isEqualTo(CheckReport.Severity.WARNING);
                assertThat(p.message()).contains("in no index");
            });
            assertThat(report.errors()).anySatisfy(p -> assertThat(p.object()).isEqualTo(snaps.get(0)));
        }
    }

    @Test
    void aCorruptIndexFileIsSkippedAtOpenAndReportedByCheck() {
        List<String> indexes = new ArrayList<>();
        store.list(RepositoryLayout.INDEX, i -> indexes.add(i.key()));
        byte[] b = store.get(indexes.get(0));
        b[b.length - 1] ^= 1;
        store.corrupt(indexes.get(0), b);
        try (PackRepository repo = Repositories.open(store, PASSWORD)) {
            assertThat(repo.corruptIndexFiles()).contains(indexes.get(0));
            assertThat(new RepositoryChecker(repo).checkMetadata().errors())
                .anySatisfy(p -> assertThat(p.object()).isEqualTo(indexes.get(0)));
        }
    }

    @Test
    void partialReadDataIsDeterministicAndGrowsWithThePercentage() {
        try (PackRepository repo = Repositories.open(store, PASSWORD)) {
            RepositoryChecker checker = new RepositoryChecker(repo);
            long p30 = checker.readData(30).packsRead();
            assertThat(checker.readData(30).packsRead()).isEqualTo(p30);
            assertThat(checker.readData(80).packsRead()).isGreaterThanOrEqualTo(p30);
            assertThat(checker.readData(100).packsRead()).isEqualTo(packKeys().size());
        }
    }
}
