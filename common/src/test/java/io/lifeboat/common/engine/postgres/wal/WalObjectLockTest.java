package io.lifeboat.common.engine.postgres.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.maintenance.MutableClock;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.ObjectLockSettings;
import io.lifeboat.common.repository.OpenOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.store.ObjectLockMode;
import io.lifeboat.common.store.ObjectVersion;
import io.lifeboat.common.store.Retention;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WAL archive in a repository with Object Lock, against the versioned in-memory store (which
 * enforces retention like S3): what is written locked and until when, that the streamer's partial
 * copies stay unlocked and go cleanly, and that WAL retention skips (and reports) what is still
 * locked instead of hiding it behind a delete marker.
 */
class WalObjectLockTest {
    private static final char[] PASSWORD = "wal lock test".toCharArray();
    private static final long SEG = 1 << 20;
    private static final Duration RETENTION = Duration.ofDays(10);

    private final InMemoryObjectStore store = InMemoryObjectStore.versioned();
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final PackRepository repo = Repositories.init(store, PASSWORD,
        InitOptions.forTests().withObjectLock(ObjectLockSettings.of(ObjectLockMode.GOVERNANCE, RETENTION)),
        OpenOptions.defaults().withActor("wal@test").withClock(clock));
    private final WalArchive archive = WalArchive.open(repo, "pg1", SEG);

    @AfterEach
    void close() {
        repo.close();
    }

    private static String name(int tli, long n) {
        return WalNames.segmentName(tli, n, SEG);
    }

    private Optional<Retention> lockOf(String key) {
        return store.retention(key);
    }

    private List<ObjectVersion> versions(String prefix) {
        List<ObjectVersion> out = new ArrayList<>();
        store.listVersions(prefix, out::add);
        return out;
    }

    @Test
    void segmentsHistoryAndBackupHistoryFilesAreWrittenLockedForTheRepositoryRetention() {
        archive.putSegment(name(1, 3), WalArchiveTest.segment(3));
        String history = "1\t0/3000000\tno recovery target specified\n";
        archive.putSegment("00000002.history", history.getBytes(StandardCharsets.UTF_8));
        String label = name(1, 3) + ".00000028.backup";
        archive.putSegment(label, "START WAL LOCATION: 0/3000028\n".getBytes(StandardCharsets.UTF_8));

        Instant expected = clock.instant().plus(RETENTION);
        for (String key : List.of(RepositoryLayout.walSegment("pg1", 1, name(1, 3)), RepositoryLayout.walHistory("pg1", 2),
                RepositoryLayout.walSegment("pg1", 1, label))) {
            assertThat(lockOf(key)).as(key).hasValueSatisfying(r -> {
                assertThat(r.mode()).isEqualTo(ObjectLockMode.GOVERNANCE);
                assertThat(r.retainUntil()).isEqualTo(expected);
            });
        }
        // Pushing the same file again writes nothing (no second locked version).
        archive.putSegment(name(1, 3), WalArchiveTest.segment(3));
        String key = RepositoryLayout.walSegment("pg1", 1, name(1, 3));
        assertThat(versions(key)).filteredOn(v -> v.key().equals(key)).hasSize(1);
    }

    @Test
    void partialCopiesAreNotLockedAndGoCleanlyWhenTheCompleteSegmentLands() {
        byte[] data = WalArchiveTest.segment(4);
        archive.putPartial(name(1, 4), data, 1000);
        archive.putPartial(name(1, 4), data, 5000);
        String partialKey = RepositoryLayout.walPartial("pg1", 1, name(1, 4));
        assertThat(lockOf(partialKey)).isEmpty();
        assertThat(archive.readStatus()).isEmpty();

        archive.putSegment(name(1, 4), data);
        assertThat(store.exists(partialKey)).isFalse();
        assertThat(archive.list()).singleElement().satisfies(r -> assertThat(r.partial()).isFalse());
        assertThat(archive.fetch(name(1, 4))).hasValue(data);
        assertThat(archive.verify().ok()).isTrue();
        // The versioned bucket keeps the replaced copies behind a delete marker; none is locked, so a
        // lifecycle rule (or an operator) may remove them.
        assertThat(versions(partialKey)).anyMatch(ObjectVersion::deleteMarker);
    }

    @Test
    void retentionSkipsAndReportsLockedSegmentsAndDeletesThemOnceTheLockLapses() {
        for (long n = 1; n <= 6; n++) {
            archive.putSegment(name(1, n), WalArchiveTest.segment(n));
        }
        archive.putPartial(name(1, 7), WalArchiveTest.segment(7), 100);
        BaseBackupRef base = new BaseBackupRef("b", 1, 4 * SEG + 40, 4 * SEG + 400, clock.instant());

        WalRetention.Plan dry = WalRetention.apply(archive, List.of(base), true);
        assertThat(dry.expire()).isEmpty();
        assertThat(dry.retainedByLock()).containsExactly(name(1, 1), name(1, 2), name(1, 3));

        WalRetention.Plan locked = WalRetention.apply(archive, List.of(base), false);
        assertThat(locked.expire()).isEmpty();
        assertThat(locked.retainedByLock()).containsExactly(name(1, 1), name(1, 2), name(1, 3));
        assertThat(locked.keep()).contains(name(1, 1), name(1, 4), name(1, 7) + ".partial");
        assertThat(archive.list()).hasSize(7);
        // Nothing was hidden behind a delete marker.
        assertThat(versions(RepositoryLayout.walCluster("pg1"))).noneMatch(ObjectVersion::deleteMarker);

        clock.advance(RETENTION.plusSeconds(1));
        assertThat(WalRetention.apply(archive, List.of(base), true).expire()).containsExactly(name(1, 1), name(1, 2), name(1, 3));
        assertThat(archive.list()).hasSize(7);
        WalRetention.Plan lapsed = WalRetention.apply(archive, List.of(base), false);
        assertThat(lapsed.expire()).containsExactly(name(1, 1), name(1, 2), name(1, 3));
        assertThat(lapsed.retainedByLock()).isEmpty();
        assertThat(archive.list()).extracting(WalSegmentRef::fileName)
            .containsExactly(name(1, 4), name(1, 5), name(1, 6), name(1, 7) + ".partial");
    }

    @Test
    void anUnlockedPartialBeforeTheOldestBaseBackupIsDeletedWhileLockedSegmentsStay() {
        archive.putSegment(name(1, 1), WalArchiveTest.segment(1));
        archive.putPartial(name(1, 2), WalArchiveTest.segment(2), 100);
        WalArchive.Deletion d = archive.deleteSegments(archive.list());
        assertThat(d.deleted()).containsExactly(name(1, 2) + ".partial");
        assertThat(d.retainedByLock()).containsExactly(name(1, 1));
        assertThat(archive.list()).extracting(WalSegmentRef::fileName).containsExactly(name(1, 1));
    }
}
