package io.lifeboat.common.engine.postgres.physical;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.engine.postgres.wal.Lsn;
import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalNames;
import io.lifeboat.common.engine.postgres.wal.WalSegmentRef;
import io.lifeboat.common.maintenance.Maintenance;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.BlobType;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotSpec;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PITR-aware WAL retention over base backup snapshots: what prune runs ({@link PitrRetention#applyAll})
 * expires the WAL left behind by base backups forgotten without forget's WAL step, never moves the
 * earliest recoverable point, and leaves a cluster without base backups alone.
 */
class PitrRetentionTest {
    private static final long SEG = 1 << 20;

    private final PackRepository repo = Repositories.init(new InMemoryObjectStore(), "pitr retention".toCharArray(), InitOptions.forTests());

    @AfterEach
    void close() {
        repo.close();
    }

    private static String name(long n) {
        return WalNames.segmentName(1, n, SEG);
    }

    private void archive(String cluster, long from, long to) {
        WalArchive a = WalArchive.open(repo, cluster, SEG);
        for (long n = from; n <= to; n++) {
            byte[] b = new byte[(int) SEG];
            new Random(n).nextBytes(b);
            a.putSegment(name(n), b);
        }
    }

    /** A postgres-base snapshot (the labels backup-postgres-base records; the tree is a stand-in). */
    private Snapshot baseBackup(String cluster, long segment, Instant finished) {
        byte[] tree = ("{\"nodes\":[],\"cluster\":\"" + cluster + segment + "\"}").getBytes(StandardCharsets.UTF_8);
        repo.saveBlob(BlobType.TREE, tree);
        BlobId root = repo.blobId(tree);
        Lsn start = new Lsn(segment * SEG + 40);
        Map<String, String> labels = Map.of(BaseBackupInfo.CLUSTER, cluster, BaseBackupInfo.TIMELINE, "1",
            BaseBackupInfo.START_LSN, start.toString(), BaseBackupInfo.STOP_LSN, new Lsn(segment * SEG + 400).toString(),
            BaseBackupInfo.START_SEGMENT, name(segment), BaseBackupInfo.WAL_MODE, "none", BaseBackupInfo.STARTED, finished.minusSeconds(5).toString(),
            BaseBackupInfo.FINISHED, finished.toString(), BaseBackupInfo.SYSTEM_ID, "7300000000000000001",
            BaseBackupInfo.SEGMENT_SIZE, Long.toString(SEG));
        return repo.commitSnapshot(new SnapshotSpec(PostgresBaseBackupSource.SOURCE_TYPE, root, "db", "postgres", List.of("/"), List.of(),
            null, finished, Map.of(), labels));
    }

    private List<String> held(String cluster) {
        return WalArchive.open(repo, cluster, SEG).list().stream().map(WalSegmentRef::fileName).toList();
    }

    @Test
    void walLeftBehindByABaseBackupForgottenWithoutTheWalStepIsExpiredAndTheEarliestPointStays() {
        archive("pg1", 1, 8);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Snapshot first = baseBackup("pg1", 2, t);
        Snapshot second = baseBackup("pg1", 5, t.plusSeconds(3600));
        // Forgotten by hand (or by an older Lifeboat): the WAL only it needed is still archived.
        Maintenance.forget(repo, List.of(first.id().hex()), "test");
        assertThat(held("pg1")).contains(name(1), name(4));

        List<PitrRetention.Outcome> dry = PitrRetention.applyAll(repo, true);
        assertThat(dry).singleElement().satisfies(o -> assertThat(o.expired()).containsExactly(name(1), name(2), name(3), name(4)));
        assertThat(held("pg1")).hasSize(8);

        List<PitrRetention.Outcome> done = PitrRetention.applyAll(repo, false);
        assertThat(done).singleElement().satisfies(o -> {
            assertThat(o.cluster()).isEqualTo("pg1");
            assertThat(o.expired()).containsExactly(name(1), name(2), name(3), name(4));
            assertThat(o.earliestRecoverable()).hasValueSatisfying(b -> assertThat(b.snapshot().id()).isEqualTo(second.id()));
            assertThat(o.retainedByLock()).isEmpty();
        });
        assertThat(held("pg1")).containsExactly(name(5), name(6), name(7), name(8));
        assertThat(WalArchive.open(repo, "pg1", SEG).verify().ok()).isTrue();

        // Nothing more to do: a second run expires nothing.
        assertThat(PitrRetention.applyAll(repo, false)).singleElement().satisfies(o -> assertThat(o.expired()).isEmpty());
    }

    @Test
    void aClusterWithoutBaseBackupsKeepsAllItsWal() {
        archive("pg1", 1, 3);
        archive("pg2", 1, 3);
        baseBackup("pg2", 3, Instant.parse("2026-01-01T00:00:00Z"));
        List<PitrRetention.Outcome> done = PitrRetention.applyAll(repo, false);
        assertThat(done).extracting(PitrRetention.Outcome::cluster).containsExactly("pg2");
        assertThat(held("pg1")).hasSize(3);
        assertThat(held("pg2")).containsExactly(name(3));
    }
}
