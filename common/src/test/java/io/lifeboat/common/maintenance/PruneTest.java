package io.lifeboat.common.maintenance;

import static io.lifeboat.common.maintenance.MaintenanceFixture.content;
import static io.lifeboat.common.maintenance.MaintenanceFixture.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.BlobType;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneTest {
    private static final Duration GRACE = PruneOptions.DEFAULT_GRACE;
    private static final Duration PAST_GRACE = GRACE.plusMinutes(1);

    private final MaintenanceFixture f = new MaintenanceFixture(16 * 1024);

    private long bytesOf(List<String> packs) {
        return packs.stream().mapToLong(k -> f.memory.stat(k).orElseThrow().size()).sum();
    }

    @Test
    void aBackupPausedAfterItsDedupLookupSurvivesForgetAndBothPrunePhases() {
        List<byte[]> old = contents(6, 4000, 1);
        Snapshot first = f.backup("/old", old);
        List<String> oldPacks = f.packs();

        PackRepository paused = f.open("slow-backup@test");
        byte[] shared = old.get(0);
        assertThat(paused.saveBlob(BlobType.DATA, paused.blobId(shared), shared, 0, shared.length))
            .as("deduplicated against the old snapshot's pack").isFalse();
        // ... the session is paused here, between its dedup lookup and its commit ...

        f.forget(first);
        PruneReport phase1 = f.prune();
        assertThat(phase1.marked()).isEqualTo(oldPacks.size());
        assertThat(f.keys(RepositoryLayout.PRUNE)).hasSize(oldPacks.size());
        f.clock.advance(PAST_GRACE);
        PruneReport phase2 = f.prune();
        assertThat(phase2.deleted()).isZero();
        assertThat(phase2.deferredBySessions()).isEqualTo(oldPacks.size());

        BlobId root = MaintenanceFixture.saveTree(paused, "new", List.of(shared, content(4000, 77)));
        Snapshot second = f.commit(paused, root, "/new");
        paused.close();

        f.assertChecksClean();
        f.assertEverySnapshotLoads();
        try (PackRepository repo = f.open()) {
            assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(second.id());
            assertThat(repo.loadBlob(repo.blobId(shared))).isEqualTo(shared);
        }

        // With the backup done, the old packs go; the new snapshot stays whole.
        PruneReport later = f.prune();
        assertThat(later.deletedPacks()).containsExactlyInAnyOrderElementsOf(oldPacks);
        f.clock.advance(PAST_GRACE);
        f.prune();
        assertThat(f.packs()).doesNotContainAnyElementsOf(oldPacks);
        f.assertChecksClean();
        f.assertEverySnapshotLoads();
    }

    @Test
    void aBackupWhoseMarkerWentStaleFailsItsCommitRatherThanReferenceADeletedPack() {
        List<byte[]> old = contents(6, 4000, 1);
        Snapshot first = f.backup("/old", old);
        PackRepository paused = f.open("hung-backup@test");
        byte[] shared = old.get(0);
        paused.saveBlob(BlobType.DATA, paused.blobId(shared), shared, 0, shared.length);

        f.forget(first);
        f.prune();
        f.clock.advance(Duration.ofHours(49)); // past the grace period and the 48 h session staleness
        PruneReport phase2 = f.prune();
        assertThat(phase2.deleted()).isPositive();
        assertThat(phase2.staleSessions()).isEqualTo(1);

        BlobId root = MaintenanceFixture.saveTree(paused, "new", List.of(shared));
        assertThatThrownBy(() -> f.commit(paused, root, "/new"))
            .isInstanceOf(RepositoryException.class)
            .hasMessageContaining("deleted by prune while the backup ran")
            .hasMessageContaining("nothing was committed");
        paused.close();
        try (PackRepository repo = f.open()) {
            assertThat(repo.snapshots()).isEmpty();
        }
        f.assertChecksClean();
    }

    @Test
    void aLongBackupThatKeepsFlushingStaysLiveForPrune() {
        List<byte[]> old = contents(4, 4000, 1);
        Snapshot first = f.backup("/old", old);
        List<String> oldPacks = f.packs();
        try (PackRepository session = f.open("long-backup@test")) {
            byte[] shared = old.get(0);
            session.saveBlob(BlobType.DATA, session.blobId(shared), shared, 0, shared.length);
            f.forget(first);
            f.prune();
            f.clock.advance(Duration.ofHours(40));
            session.saveBlob(BlobType.DATA, content(4000, 55));
            session.flush(); // heartbeat
            f.clock.advance(Duration.ofHours(10)); // 50 h after start, 10 h after the heartbeat
            PruneReport report = f.prune();
            assertThat(report.staleSessions()).isZero();
            assertThat(report.deferredBySessions()).isEqualTo(oldPacks.size());
            f.commit(session, MaintenanceFixture.saveTree(session, "new", List.of(shared)), "/new");
        }
        f.assertChecksClean();
        f.assertEverySnapshotLoads();
    }

    @Test
    void aBackupThatOnlyAskedContainsCopiesTheBlobsOfPacksThatBecameCandidates() {
        List<byte[]> old = contents(4, 4000, 1);
        Snapshot first = f.backup("/old", old);
        List<String> oldPacks = f.packs();
        try (PackRepository session = f.open("incremental@test")) {
            byte[] unchanged = old.get(3);
            assertThat(session.contains(session.blobId(unchanged))).as("skipped via the parent, as FileTreeSource does").isTrue();
            assertThat(f.keys(RepositoryLayout.BACKUP_SESSIONS)).as("contains writes nothing").isEmpty();

            f.forget(first);
            assertThat(f.prune().marked()).isEqualTo(oldPacks.size());

            // Only the trees are saved: the file's content is referenced, never saved again.
            byte[] sub = MaintenanceFixture.tree(Map.of("f", List.of(session.blobId(unchanged))), Map.of());
            session.saveBlob(BlobType.TREE, sub);
            byte[] root = MaintenanceFixture.tree(Map.of(), Map.of("new", session.blobId(sub)));
            session.saveBlob(BlobType.TREE, root);
            f.commit(session, session.blobId(root), "/new");
        }
        f.clock.advance(PAST_GRACE);
        assertThat(f.prune().deletedPacks()).containsExactlyInAnyOrderElementsOf(oldPacks);
        f.assertChecksClean();
        f.assertEverySnapshotLoads();
    }

    @Test
    void aSessionOpenedAfterPhaseOneDoesNotDeduplicateAgainstCandidates() {
        List<byte[]> old = contents(4, 4000, 1);
        Snapshot first = f.backup("/old", old);
        f.forget(first);
        f.prune();
        try (PackRepository repo = f.open()) {
            byte[] b = old.get(1);
            assertThat(repo.contains(repo.blobId(b))).isFalse();
            assertThat(repo.saveBlob(BlobType.DATA, repo.blobId(b), b, 0, b.length)).as("stored again, not deduplicated").isTrue();
            assertThat(repo.loadBlob(repo.blobId(old.get(2)))).as("candidates stay readable").isEqualTo(old.get(2));
        }
    }

    @Test
    void forgetThenBothPhasesFreeTheBytesAndLeaveACleanRepository() {
        Snapshot gone = f.backup("/a", contents(8, 4000, 1));
        List<String> packsOfGone = f.packs();
        Snapshot kept = f.backup("/b", contents(8, 4000, 2));
        long expectedFreed = bytesOf(packsOfGone);

        f.forget(gone);
        PruneReport phase1 = f.prune();
        assertThat(phase1.marked()).isEqualTo(packsOfGone.size());
        assertThat(phase1.deleted()).isZero();
        assertThat(phase1.freedBytes()).isZero();
        assertThat(f.prune().waitingForGrace()).as("a second run within the grace period deletes nothing").isEqualTo(packsOfGone.size());

        f.clock.advance(PAST_GRACE);
        PruneReport phase2 = f.prune();
        assertThat(phase2.deleted()).isEqualTo(packsOfGone.size());
        assertThat(phase2.freedBytes()).isEqualTo(expectedFreed).isPositive();
        assertThat(phase2.summary()).startsWith("freed " + expectedFreed + " bytes in " + packsOfGone.size() + " packs");
        assertThat(f.packs()).doesNotContainAnyElementsOf(packsOfGone);
        assertThat(f.keys(RepositoryLayout.PRUNE)).isEmpty();
        assertThat(f.assertChecksClean().problems()).as("not even warnings").isEmpty();
        f.assertEverySnapshotLoads();
        try (PackRepository repo = f.open()) {
            assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(kept.id());
            List<String> actions = repo.journal().stream().map(r -> r.entry().action()).toList();
            assertThat(actions).contains("forget", "prune");
            var pruneEntry = repo.journal().stream().filter(r -> r.entry().action().equals("prune")).reduce((a, b) -> b).orElseThrow();
            assertThat(pruneEntry.entry().details()).containsEntry("bytesFreed", Long.toString(expectedFreed));
            assertThat(pruneEntry.entry().objects()).containsAll(packsOfGone);
            assertThat(pruneEntry.entry().actor()).isEqualTo("pruner@test");
        }
    }

    @Test
    void forgetAndBothPhasesOnALocalDirectoryStore(@TempDir Path dir) {
        MaintenanceFixture local = new MaintenanceFixture(16 * 1024, new LocalObjectStore(dir));
        Snapshot gone = local.backup("/a", contents(6, 4000, 1));
        List<String> packsOfGone = local.packs();
        local.backup("/b", contents(3, 4000, 2));
        local.forget(gone);
        local.prune();
        local.clock.advance(PAST_GRACE);
        PruneReport report = local.prune();
        assertThat(report.deletedPacks()).containsExactlyInAnyOrderElementsOf(packsOfGone);
        assertThat(report.freedBytes()).isPositive();
        assertThat(local.assertChecksClean().problems()).isEmpty();
        local.assertEverySnapshotLoads();
    }

    @Test
    void aCandidateReferencedAgainIsUnmarkedAndNotDeleted() {
        Snapshot s = f.backup("/a", contents(6, 4000, 1));
        List<String> packs = f.packs();
        String manifest = RepositoryLayout.snapshot(s.id());
        byte[] manifestBytes = f.memory.get(manifest);
        f.forget(s);
        assertThat(f.prune().marked()).isEqualTo(packs.size());
        // A backup committed between prune's listing and its candidate writes: its manifest
        // references the candidates' blobs.
        f.memory.put(manifest, manifestBytes);

        f.clock.advance(PAST_GRACE);
        PruneReport report = f.prune();
        assertThat(report.unmarked()).isEqualTo(packs.size());
        assertThat(report.deleted()).isZero();
        assertThat(f.packs()).containsAll(packs);
        assertThat(f.keys(RepositoryLayout.PRUNE)).isEmpty();
        f.clock.advance(PAST_GRACE);
        assertThat(f.prune().deleted()).isZero();
        f.assertChecksClean();
        f.assertEverySnapshotLoads();
    }

    @Test
    void aFullyUsedPackOfSmallBlobsIsNotRepacked() {
        // 100-byte blobs: the pack's trailer is a large share of it, but none of it is waste.
        MaintenanceFixture f = new MaintenanceFixture(1 << 20);
        try (PackRepository repo = f.open()) {
            BlobId root = MaintenanceFixture.saveTree(repo, "small", contents(200, 100, 5));
            f.commit(repo, root, "/small");
        }
        List<String> before = f.packs();
        for (int run = 0; run < 2; run++) {
            PruneReport report = f.prune();
            assertThat(report.repacked()).as("run %d", run).isZero();
            assertThat(report.marked()).isZero();
        }
        assertThat(f.packs()).isEqualTo(before);
        f.assertChecksClean();
    }

    @Test
    void aPartlyUsedPackIsRepackedAndItsLiveBlobsStayLoadable() {
        MaintenanceFixture big = new MaintenanceFixture(1 << 20);
        List<byte[]> x = contents(4, 4000, 1);
        List<byte[]> y = contents(4, 4000, 2);
        Snapshot sx;
        try (PackRepository repo = big.open()) {
            BlobId rx = MaintenanceFixture.saveTree(repo, "x", x);
            BlobId ry = MaintenanceFixture.saveTree(repo, "y", y);
            sx = big.commit(repo, rx, "/x");
            big.commit(repo, ry, "/y");
        }
        List<String> before = big.packs();
        assertThat(before).as("both snapshots share one pack").hasSize(1);

        long oldPackBytes = big.memory.stat(before.get(0)).orElseThrow().size();
        big.forget(sx);
        try (PackRepository pruner = big.open("pruner@test")) {
            PruneReport phase1 = Prune.run(pruner, MaintenanceFixture.pruneOptions());
            assertThat(phase1.repacked()).isEqualTo(1);
            assertThat(phase1.repackedBlobs()).isEqualTo(4 + 2);
            assertThat(big.packs()).hasSize(2);
            big.assertEverySnapshotLoads();

            big.clock.advance(PAST_GRACE);
            PruneReport phase2 = Prune.run(pruner, MaintenanceFixture.pruneOptions());
            assertThat(phase2.deletedPacks()).containsExactlyElementsOf(before);
            assertThat(phase2.freedBytes()).isEqualTo(oldPackBytes);
            for (byte[] b : y) {
                assertThat(pruner.loadBlob(pruner.blobId(b))).as("the pruning session loads from the new pack").isEqualTo(b);
            }
        }
        assertThat(big.packs()).hasSize(1).doesNotContainAnyElementsOf(before);
        big.assertChecksClean();
        big.assertEverySnapshotLoads();
        try (PackRepository repo = big.open()) {
            for (byte[] b : y) {
                assertThat(repo.loadBlob(repo.blobId(b))).isEqualTo(b);
            }
        }
    }

    @Test
    void aDryRunReportsAndChangesNothing() {
        Snapshot s = f.backup("/a", contents(6, 4000, 1));
        f.backup("/b", contents(2, 4000, 2));
        f.forget(s);
        List<String> before = f.keys("");
        PruneReport dry = f.prune(MaintenanceFixture.pruneOptions().withDryRun(true));
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.marked()).isPositive();
        assertThat(f.keys("")).isEqualTo(before);
        f.prune();
        f.clock.advance(PAST_GRACE);
        before = f.keys("");
        PruneReport wouldDelete = f.prune(MaintenanceFixture.pruneOptions().withDryRun(true));
        assertThat(wouldDelete.deleted()).isPositive();
        assertThat(wouldDelete.freedBytes()).isPositive();
        assertThat(f.keys("")).isEqualTo(before);
        PruneReport real = f.prune();
        assertThat(real.deletedPacks()).isEqualTo(wouldDelete.deletedPacks());
        assertThat(real.freedBytes()).isEqualTo(wouldDelete.freedBytes());
    }

    @Test
    void objectLockRetentionKeepsCandidatesUntilDeletable() {
        Snapshot s = f.backup("/a", contents(4, 4000, 1));
        List<String> packs = f.packs();
        f.forget(s);
        f.prune();
        f.clock.advance(PAST_GRACE);
        PruneReport locked = f.prune(MaintenanceFixture.pruneOptions().withRetentionLock((key, now) -> !key.startsWith(RepositoryLayout.DATA)));
        assertThat(locked.retainedByLock()).isEqualTo(packs.size());
        assertThat(f.packs()).containsAll(packs);
        assertThat(f.prune().deleted()).isEqualTo(packs.size());
        f.assertChecksClean();
    }

    @Test
    void aWideTreeWalkedInParallelBatchesKeepsEveryBlobItReferences() {
        // More directories than one window of batches (WALK_BATCH x READ_PARALLELISM), two levels
        // deep, half of them shared between two snapshots.
        int dirs = Prune.WALK_BATCH * Prune.READ_PARALLELISM + 37;
        Snapshot first;
        Snapshot second;
        try (PackRepository repo = f.open("backup@test")) {
            Map<String, BlobId> top = new java.util.TreeMap<>();
            Map<String, BlobId> half = new java.util.TreeMap<>();
            for (int d = 0; d < dirs; d++) {
                byte[] c = MaintenanceFixture.content(100, 7_000 + d);
                BlobId data = repo.blobId(c);
                repo.saveBlob(BlobType.DATA, data, c, 0, c.length);
                byte[] leaf = MaintenanceFixture.tree(Map.of("f", List.of(data)), Map.of());
                repo.saveBlob(BlobType.TREE, leaf);
                byte[] mid = MaintenanceFixture.tree(Map.of(), Map.of("leaf", repo.blobId(leaf)));
                repo.saveBlob(BlobType.TREE, mid);
                top.put(String.format("d%04d", d), repo.blobId(mid));
                if (d % 2 == 0) {
                    half.put(String.format("d%04d", d), repo.blobId(mid));
                }
            }
            byte[] root = MaintenanceFixture.tree(Map.of(), top);
            repo.saveBlob(BlobType.TREE, root);
            first = f.commit(repo, repo.blobId(root), "/wide");
            byte[] root2 = MaintenanceFixture.tree(Map.of(), half);
            repo.saveBlob(BlobType.TREE, root2);
            second = f.commit(repo, repo.blobId(root2), "/half");
        }
        // Repacking off: with 100-byte blobs a pack's trailer alone exceeds the waste threshold.
        PruneOptions noRepack = MaintenanceFixture.pruneOptions().withRepackThreshold(1);
        PruneReport both = f.prune(noRepack);
        assertThat(both.snapshots()).isEqualTo(2);
        assertThat(both.referencedBlobs()).isEqualTo(2 + 3L * dirs);
        assertThat(both.marked()).isZero();
        f.forget(first);
        f.prune(noRepack);
        f.clock.advance(PAST_GRACE);
        PruneReport after = f.prune(noRepack);
        assertThat(after.referencedBlobs()).isEqualTo(1 + 3L * ((dirs + 1) / 2));
        f.assertEverySnapshotLoads();
        f.assertChecksClean();
        assertThat(second).isNotNull();
    }

    @Test
    void aTreeMissingFromTheIndexStopsPruneNamingTreeAndSnapshot() {
        f.backup("/a", contents(2, 4000, 1));
        BlobId missing = BlobId.parse("ab".repeat(32));
        Snapshot broken;
        try (PackRepository repo = f.open()) {
            byte[] root = MaintenanceFixture.tree(Map.of(), Map.of("gone", missing));
            repo.saveBlob(BlobType.TREE, root);
            broken = f.commit(repo, repo.blobId(root), "/broken");
        }
        List<String> before = f.keys("");
        assertThatThrownBy(f::prune).isInstanceOf(RepositoryException.class)
            .hasMessageStartingWith("refusing to prune, nothing was deleted: tree " + missing.shortHex() + " of snapshot " + broken.id().hex()
                + " cannot be read");
        assertThat(f.keys("")).isEqualTo(before);
    }

    @Test
    void anUnreadableTreeStopsPruneBeforeAnyChange() {
        f.backup("/a", contents(2, 4000, 1));
        try (PackRepository repo = f.open()) {
            byte[] notATree = "not a tree".getBytes();
            repo.saveBlob(BlobType.TREE, notATree);
            f.commit(repo, repo.blobId(notATree), "/broken");
        }
        List<String> before = f.keys("");
        assertThatThrownBy(f::prune).isInstanceOf(RepositoryException.class)
            .hasMessageStartingWith("refusing to prune, nothing was deleted:").hasMessageContaining("not JSON");
        List<String> after = f.keys("");
        after.removeIf(k -> k.startsWith(RepositoryLayout.MAINTENANCE_CLAIMS));
        assertThat(after).isEqualTo(before);
    }

    @Test
    void twoPrunesAtOnceOneWinsAndTheOtherNamesTheHolderAndExpiry() throws Exception {
        Snapshot s = f.backup("/a", contents(4, 4000, 1));
        f.forget(s);
        // Both list the claims (and see none) before either writes its claim.
        java.util.concurrent.CyclicBarrier bothListed = new java.util.concurrent.CyclicBarrier(2);
        ThreadLocal<Boolean> claimedOnce = ThreadLocal.withInitial(() -> false);
        f.store.beforePut(key -> {
            if (key.startsWith(RepositoryLayout.MAINTENANCE_CLAIMS) && !claimedOnce.get()) {
                claimedOnce.set(true);
                try {
                    bothListed.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        // The settle wait lasts until both claims are written: the protocol's assumption that the
        // settle time exceeds a contender's gap between listing and writing.
        java.util.concurrent.CyclicBarrier bothClaimed = new java.util.concurrent.CyclicBarrier(2);
        MaintenanceLease.Sleeper settle = d -> {
            try {
                bothClaimed.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.BrokenBarrierException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(e);
            }
        };
        Map<String, Object> outcome = new java.util.concurrent.ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (String who : List.of("pruner-a@test", "pruner-b@test")) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    outcome.put(who, f.prune(MaintenanceFixture.pruneOptions().withLease(Duration.ofHours(1), Duration.ofSeconds(5), settle)
                        .withHolder(who)));
                } catch (RuntimeException e) {
                    outcome.put(who, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        f.store.beforePut(p -> { });
        List<String> winners = outcome.entrySet().stream().filter(e -> e.getValue() instanceof PruneReport).map(Map.Entry::getKey).toList();
        assertThat(winners).as(outcome.toString()).hasSize(1);
        String winner = winners.get(0);
        String loser = winner.equals("pruner-a@test") ? "pruner-b@test" : "pruner-a@test";
        assertThat(outcome.get(loser)).isInstanceOf(MaintenanceLeaseException.class);
        String message = ((Exception) outcome.get(loser)).getMessage();
        assertThat(message).doesNotContain("\n").contains("another maintenance run holds the repository: " + winner)
            .contains("(token 1, lease expires 2026-05-01T");
        assertThat(((PruneReport) outcome.get(winner)).marked()).isPositive();
    }

    @Test
    void aPruneHeldByACrashedHolderFailsClearlyUntilTheLeaseExpires() {
        Snapshot s = f.backup("/a", contents(4, 4000, 1));
        f.forget(s);
        try (PackRepository repo = f.open("crashed@test")) {
            MaintenanceLease.acquire(repo, "crashed@test", Duration.ofHours(1), Duration.ZERO, d -> { }); // never released
        }
        assertThatThrownBy(f::prune).isInstanceOf(MaintenanceLeaseException.class)
            .hasMessage("another maintenance run holds the repository: crashed@test (token 1, lease expires 2026-05-01T01:00:00Z);"
                + " try again after it finishes or its lease expires");
        f.clock.advance(Duration.ofMinutes(61));
        PruneReport report = f.prune();
        assertThat(report.token()).isEqualTo(2);
        assertThat(report.marked()).isPositive();
    }

    /**
     * Kills prune after every possible number of writes and deletes, in the marking run and in
     * the deleting run; later runs always finish the job.
     */
    @Test
    void aPruneKilledAtAnyPointIsFinishedByTheNextRuns() {
        for (int killedRun = 1; killedRun <= 2; killedRun++) {
            for (int n = 0; ; n++) {
                Scenario sc = new Scenario();
                if (killedRun == 2) {
                    sc.f.prune();
                    sc.f.clock.advance(PAST_GRACE);
                }
                sc.f.store.killAfterMutations(n);
                boolean killed;
                try {
                    sc.f.prune();
                    killed = false;
                } catch (RuntimeException e) {
                    killed = true;
                }
                sc.f.store.heal();
                sc.f.clock.advance(Duration.ofHours(2)); // the killed run's lease expires
                for (int run = 0; run < 3; run++) {
                    sc.f.prune();
                    sc.f.clock.advance(PAST_GRACE);
                }
                sc.assertFinished("killed in run " + killedRun + " after " + n + " mutations");
                if (!killed) {
                    break;
                }
            }
        }
    }

    /** Two forgotten snapshots, one kept, and a pack shared by a forgotten and the kept one (to be repacked). */
    private static final class Scenario {
        final MaintenanceFixture f = new MaintenanceFixture(16 * 1024);
        final List<String> goneOnly;
        final Map<BlobId, byte[]> live = new HashMap<>();

        Scenario() {
            Snapshot a = f.backup("/a", contents(5, 4000, 1));
            List<String> afterA = f.packs();
            Snapshot b;
            try (PackRepository repo = f.open()) {
                List<byte[]> bx = contents(2, 3000, 2);
                List<byte[]> cx = contents(2, 3000, 3);
                BlobId rb = MaintenanceFixture.saveTree(repo, "b", bx);
                BlobId rc = MaintenanceFixture.saveTree(repo, "c", cx);
                b = f.commit(repo, rb, "/b");
                f.commit(repo, rc, "/c");
                for (byte[] c : cx) {
                    live.put(repo.blobId(c), c);
                }
            }
            f.backup("/d", contents(3, 4000, 4)).id();
            goneOnly = afterA;
            f.forget(a, b);
        }

        void assertFinished(String when) {
            assertThat(f.packs()).as(when).doesNotContainAnyElementsOf(goneOnly);
            assertThat(f.keys(RepositoryLayout.PRUNE)).as(when).isEmpty();
            assertThat(f.assertChecksClean().problems()).as(when).isEmpty();
            f.assertEverySnapshotLoads();
            try (PackRepository repo = f.open()) {
                assertThat(repo.snapshots()).as(when).hasSize(2);
                live.forEach((id, bytes) -> assertThat(repo.loadBlob(id)).isEqualTo(bytes));
            }
        }
    }
}
