package io.lifeboat.common.engine.postgres.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.ObjectLockSettings;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.store.ObjectLockMode;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectVersion;
import io.lifeboat.common.store.s3.LocalCeph;
import io.lifeboat.common.store.s3.S3ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WAL archive in an Object Lock repository on a real Ceph RGW (the locked bucket and role users
 * of {@link LocalCeph}, shared with ObjectLockCephIT's setup), with locks of seconds: archived WAL is
 * locked, archiving with the backup credential (which cannot delete) still completes a segment over
 * its partial copy, and WAL retention with the maintenance credential keeps locked WAL without
 * delete markers and deletes it once the lock lapsed.
 */
class WalObjectLockCephIT {
    private static final char[] PASSWORD = "wal lock ceph".toCharArray();
    private static final long SEG = 1 << 20;

    private final String prefix = LocalCeph.freshPrefix("wal");
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    private ObjectStore store(LocalCeph.Role role) {
        ObjectStore s = S3ObjectStore.open(LocalCeph.config(role, prefix).build());
        opened.add(s);
        return s;
    }

    private static byte[] segment(long seed) {
        byte[] b = new byte[(int) SEG];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String name(long n) {
        return WalNames.segmentName(1, n, SEG);
    }

    @Test
    void archivedWalIsLockedAndRetentionWaitsForTheLockToLapse() {
        ObjectStore backupStore = store(LocalCeph.Role.BACKUP);
        PackRepository backup = Repositories.init(backupStore, PASSWORD,
            InitOptions.forTests().withObjectLock(ObjectLockSettings.of(ObjectLockMode.COMPLIANCE, Duration.ofSeconds(5))));
        opened.add(backup);
        WalArchive archive = WalArchive.open(backup, "pg1", SEG);
        Instant before = Instant.now();
        archive.putPartial(name(1), segment(1), 4096);
        // The backup credential cannot delete the partial copy; completing the segment still succeeds.
        archive.putSegment(name(1), segment(1));
        archive.putSegment(name(2), segment(2));
        archive.putSegment("00000002.history", "1\t0/2000000\tno recovery target specified\n".getBytes(StandardCharsets.UTF_8));
        archive.putPartial(name(3), segment(3), 4096);

        ObjectStore maint = store(LocalCeph.Role.MAINTENANCE);
        String seg1 = RepositoryLayout.walSegment("pg1", 1, name(1));
        assertThat(maint.retention(seg1)).hasValueSatisfying(r -> {
            assertThat(r.mode()).isEqualTo(ObjectLockMode.COMPLIANCE);
            assertThat(r.retainUntil()).isAfter(before.plusSeconds(4)).isBefore(Instant.now().plusSeconds(7));
        });
        assertThat(maint.retention(RepositoryLayout.walHistory("pg1", 2))).isPresent();
        assertThat(maint.retention(RepositoryLayout.walPartial("pg1", 1, name(3)))).isEmpty();
        assertThat(archive.fetch(name(1))).hasValue(segment(1));

        PackRepository maintenance = Repositories.open(maint, PASSWORD);
        opened.add(maintenance);
        WalArchive m = WalArchive.open(maintenance, "pg1", SEG);
        WalArchive.Deletion locked = m.deleteSegments(m.list());
        assertThat(locked.retainedByLock()).containsExactlyInAnyOrder(name(1), name(2));
        assertThat(locked.deleted()).containsExactlyInAnyOrder(name(1) + ".partial", name(3) + ".partial");
        List<ObjectVersion> versions = new ArrayList<>();
        maint.listVersions(RepositoryLayout.walSegment("pg1", 1, ""), versions::add);
        assertThat(versions).filteredOn(v -> v.key().equals(seg1)).noneMatch(ObjectVersion::deleteMarker);
        assertThat(m.list()).extracting(WalSegmentRef::fileName).containsExactly(name(1), name(2));

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
            .until(() -> m.deleteSegments(m.list()).retainedByLock().isEmpty() && m.list().isEmpty());
        assertThat(m.historyTimelines()).containsExactly(2);
    }
}
