package io.lifeboat.common.engine.postgres.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WalArchiveTest {
    private static final char[] PASSWORD = "wal test password".toCharArray();
    private static final long SEG = 1 << 20;

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final PackRepository repo = Repositories.init(store, PASSWORD, InitOptions.forTests());
    private final WalArchive archive = WalArchive.open(repo, "pg1", SEG);

    @AfterEach
    void close() {
        repo.close();
    }

    static byte[] segment(long seed) {
        byte[] b = new byte[(int) SEG];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String name(int tli, long n) {
        return WalNames.segmentName(tli, n, SEG);
    }

    @Test
    void aSegmentRoundTripsEncryptedUnderItsKey() {
        byte[] data = segment(1);
        archive.putSegment(name(1, 3), data);
        String key = RepositoryLayout.walSegment("pg1", 1, name(1, 3));
        assertThat(key).isEqualTo("wal/pg1/00000001/" + name(1, 3));
        assertThat(store.exists(key)).isTrue();
        assertThat(archive.fetch(name(1, 3))).hasValue(data);
        assertThat(archive.fetch(name(1, 4))).isEmpty();
        List<WalSegmentRef> refs = archive.list();
        assertThat(refs).singleElement().satisfies(r -> {
            assertThat(r.timeline()).isEqualTo(1);
            assertThat(r.segment()).isEqualTo(name(1, 3));
            assertThat(r.partial()).isFalse();
        });
    }

    @Test
    void pushingTheSameSegmentAgainIsANoOpButDifferentContentIsRefused() {
        byte[] data = segment(1);
        archive.putSegment(name(1, 3), data);
        archive.putSegment(name(1, 3), data.clone());
        assertThatThrownBy(() -> archive.putSegment(name(1, 3), segment(2)))
            .isInstanceOf(WalConflictException.class)
            .hasMessageContaining("already archived").hasMessageContaining("different content");
        assertThat(archive.fetch(name(1, 3))).hasValue(data);
    }

    @Test
    void aSegmentOfTheWrongSizeOrAnUnknownNameIsRefused() {
        assertThatThrownBy(() -> archive.putSegment(name(1, 3), new byte[100])).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("bytes");
        assertThatThrownBy(() -> archive.putSegment("../../config", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> archive.fetch("000000010000000000000003x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WalArchive.open(repo, "a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePartialIsServedUntilTheCompleteSegmentReplacesIt() {
        byte[] full = segment(7);
        byte[] partial = full.clone();
        java.util.Arrays.fill(partial, 1000, partial.length, (byte) 0);
        archive.putPartial(name(1, 5), partial, 1000);
        assertThat(archive.list()).singleElement().satisfies(r -> assertThat(r.partial()).isTrue());
        assertThat(archive.fetch(name(1, 5))).hasValue(partial);
        assertThat(archive.fetch(name(1, 5) + ".partial")).hasValue(partial);

        archive.putSegment(name(1, 5), full);
        assertThat(archive.list()).singleElement().satisfies(r -> assertThat(r.partial()).isFalse());
        assertThat(archive.fetch(name(1, 5))).hasValue(full);
        assertThat(store.exists(RepositoryLayout.walPartial("pg1", 1, name(1, 5)))).isFalse();

        archive.putPartial(name(1, 5), partial, 1000);
        assertThat(archive.list()).singleElement().satisfies(r -> assertThat(r.partial()).isFalse());
    }

    @Test
    void aStoreThatRefusesDeletesStillArchivesTheCompleteSegment() {
        io.lifeboat.common.store.ObjectStore noDelete = new io.lifeboat.common.store.decorator.ForwardingObjectStore(new InMemoryObjectStore()) {
            @Override
            public void delete(String key) {
                throw new io.lifeboat.common.store.StoreException("access denied: delete");
            }
        };
        try (PackRepository r = Repositories.init(noDelete, PASSWORD, InitOptions.forTests())) {
            WalArchive a = WalArchive.open(r, "pg1", SEG);
            a.putPartial(name(1, 5), segment(5), 10);
            a.putSegment(name(1, 5), segment(6));
            assertThat(a.fetch(name(1, 5))).hasValue(segment(6));
        }
    }

    @Test
    void historyAndBackupHistoryFilesRoundTrip() {
        byte[] history = "1\t0/5000000\tno recovery target specified\n".getBytes(StandardCharsets.UTF_8);
        archive.putSegment("00000002.history", history);
        archive.putSegment("00000002.history", history);
        assertThatThrownBy(() -> archive.putSegment("00000002.history", "other".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(WalConflictException.class);
        assertThat(store.exists("wal/pg1/history/00000002.history")).isTrue();
        assertThat(archive.fetch("00000002.history")).hasValue(history);
        assertThat(archive.fetch("00000003.history")).isEmpty();
        assertThat(archive.historyTimelines()).containsExactly(2);

        byte[] label = "START WAL LOCATION: 0/2000028".getBytes(StandardCharsets.UTF_8);
        archive.putSegment(name(1, 2) + ".00000028.backup", label);
        assertThat(archive.fetch(name(1, 2) + ".00000028.backup")).hasValue(label);
    }

    @Test
    void statusRoundTrips() {
        assertThat(archive.readStatus()).isEmpty();
        WalStatus s = new WalStatus(2, "0/5000060", Instant.parse("2026-11-23T04:00:00Z"), 123, 4567, Instant.parse("2026-11-23T04:00:05Z"),
            "host-1/42");
        archive.writeStatus(s);
        assertThat(archive.readStatus()).hasValue(s);
    }

    @Test
    void archivesOfTwoClustersAreSeparate() {
        WalArchive other = WalArchive.open(repo, "pg2", SEG);
        archive.putSegment(name(1, 1), segment(1));
        other.putSegment(name(1, 1), segment(2));
        assertThat(archive.fetch(name(1, 1))).hasValue(segment(1));
        assertThat(other.fetch(name(1, 1))).hasValue(segment(2));
        assertThat(other.list()).hasSize(1);
    }

    @Test
    void anObjectMovedToAnotherKeyFailsToAuthenticate() {
        archive.putSegment(name(1, 1), segment(1));
        byte[] stored = store.get(RepositoryLayout.walSegment("pg1", 1, name(1, 1)));
        store.put(RepositoryLayout.walSegment("pg1", 1, name(1, 2)), stored);
        assertThatThrownBy(() -> archive.fetch(name(1, 2))).isInstanceOf(CorruptObjectException.class)
            .hasMessageContaining(name(1, 2));
    }

    @Test
    void aDamagedStoredSegmentIsReplacedByAGoodPush() {
        byte[] data = segment(1);
        String key = RepositoryLayout.walSegment("pg1", 1, name(1, 1));
        archive.putSegment(name(1, 1), data);
        byte[] stored = store.get(key);
        stored[stored.length - 1] ^= 1;
        store.put(key, stored);
        assertThatThrownBy(() -> archive.fetch(name(1, 1))).isInstanceOf(CorruptObjectException.class);
        archive.putSegment(name(1, 1), data);
        assertThat(archive.fetch(name(1, 1))).hasValue(data);
    }

    @Test
    void aContiguousChainHasNoGaps() {
        for (long n = 1; n <= 4; n++) {
            archive.putSegment(name(1, n), segment(n));
        }
        archive.putPartial(name(1, 5), segment(5), 10);
        WalGapReport r = archive.verify();
        assertThat(r.ok()).isTrue();
        assertThat(r.timelines()).singleElement().satisfies(t -> {
            assertThat(t.firstSegment()).isEqualTo(name(1, 1));
            assertThat(t.lastSegment()).isEqualTo(name(1, 4));
            assertThat(t.segments()).isEqualTo(4);
            assertThat(t.partial()).isEqualTo(name(1, 5));
        });
    }

    @Test
    void aMissingSegmentIsReportedAsAGap() {
        for (long n = 1; n <= 6; n++) {
            archive.putSegment(name(1, n), segment(n));
        }
        archive.deleteSegments(archive.list().stream().filter(r -> r.segment().equals(name(1, 3)) || r.segment().equals(name(1, 4))).toList());
        WalGapReport r = archive.verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.gaps()).containsExactly(new WalGapReport.Gap(1, name(1, 3), name(1, 4), 2));
    }

    @Test
    void gapsAcrossALogIdBoundaryAreCountedInSegments() {
        long perLogId = 0x100000000L / SEG;
        archive.putSegment(name(1, perLogId - 1), segment(1));
        archive.putSegment(name(1, perLogId), segment(2));
        assertThat(name(1, perLogId)).isEqualTo("000000010000000100000000");
        assertThat(archive.verify().ok()).isTrue();
        archive.putSegment(name(1, perLogId + 2), segment(3));
        assertThat(archive.verify().gaps()).containsExactly(new WalGapReport.Gap(1, name(1, perLogId + 1), name(1, perLogId + 1), 1));
    }

    @Test
    void aTimelineSwitchIsFollowedThroughItsHistoryFile() {
        // timeline 2 branched off timeline 1 inside segment 4
        for (long n = 1; n <= 3; n++) {
            archive.putSegment(name(1, n), segment(n));
        }
        archive.putSegment(name(1, 4) + ".partial", segment(4));
        archive.putSegment("00000002.history", "1\t0/400100\tno recovery target specified\n".getBytes(StandardCharsets.UTF_8));
        archive.putSegment(name(2, 4), segment(24));
        archive.putSegment(name(2, 5), segment(25));
        WalGapReport ok = archive.verify();
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.gaps()).isEmpty();
        assertThat(ok.timelines()).extracting(WalGapReport.Timeline::timeline).containsExactly(1, 2);
        assertThat(ok.timelines().get(1).parent()).isEqualTo(1);
        assertThat(ok.timelines().get(1).switchPoint()).isEqualTo("0/400100");

        archive.deleteSegments(archive.list().stream().filter(r -> r.segment().equals(name(1, 3))).toList());
        archive.deleteSegments(archive.list().stream().filter(r -> r.segment().equals(name(2, 4))).toList());
        WalGapReport broken = archive.verify();
        assertThat(broken.gaps()).containsExactly(
            new WalGapReport.Gap(1, name(1, 3), name(1, 3), 1),
            new WalGapReport.Gap(2, name(2, 4), name(2, 4), 1));
    }

    @Test
    void aTimelineWithoutItsHistoryFileIsAProblem() {
        archive.putSegment(name(3, 1), segment(1));
        WalGapReport r = archive.verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).singleElement().asString().contains("00000003.history");
    }

    @Test
    void retentionDeletesSegmentsBeforeAPositionAndTheirBackupLabels() {
        for (long n = 1; n <= 5; n++) {
            archive.putSegment(name(1, n), segment(n));
        }
        archive.putSegment(name(1, 2) + ".00000028.backup", "label".getBytes(StandardCharsets.UTF_8));
        archive.putSegment("00000002.history", "1\t0/500000\tx\n".getBytes(StandardCharsets.UTF_8));
        List<WalSegmentRef> old = archive.segmentsBefore(name(1, 3));
        assertThat(old).extracting(WalSegmentRef::segment).containsExactly(name(1, 1), name(1, 2));
        archive.deleteSegments(old);
        assertThat(archive.list()).extracting(WalSegmentRef::segment).containsExactly(name(1, 3), name(1, 4), name(1, 5));
        assertThat(archive.fetch(name(1, 2) + ".00000028.backup")).isEmpty();
        assertThat(archive.fetch("00000002.history")).isPresent();
        assertThat(archive.verify().gaps()).isEmpty();
    }

    @Test
    void unrelatedKeysUnderTheClusterPrefixAreIgnored() {
        archive.putSegment(name(1, 1), segment(1));
        store.put("wal/pg1/00000002/" + name(1, 2), new byte[10]);
        store.put("wal/pg1/00000001/notes.txt", new byte[10]);
        store.put("wal/pg1/00000001/x/" + name(1, 3), new byte[10]);
        store.put("wal/pg10/00000001/" + name(1, 3), new byte[10]);
        assertThat(archive.list()).extracting(WalSegmentRef::segment).containsExactly(name(1, 1));
    }

    @Test
    void theDefaultArchiveExpects16MiBSegments() {
        WalArchive defaults = WalArchive.open(repo, "pg1");
        assertThat(defaults.segmentSize()).isEqualTo(16L << 20);
        assertThatThrownBy(() -> defaults.putSegment(name(1, 1), segment(1))).hasMessageContaining("16777216");
    }

    @Test
    void anotherRepositoryCannotReadTheArchive() {
        archive.putSegment(name(1, 1), segment(1));
        InMemoryObjectStore otherStore = new InMemoryObjectStore();
        try (PackRepository other = Repositories.init(otherStore, PASSWORD, InitOptions.forTests())) {
            otherStore.put(RepositoryLayout.walSegment("pg1", 1, name(1, 1)), store.get(RepositoryLayout.walSegment("pg1", 1, name(1, 1))));
            assertThatThrownBy(() -> WalArchive.open(other, "pg1", SEG).fetch(name(1, 1))).isInstanceOf(CorruptObjectException.class);
        }
    }
}
