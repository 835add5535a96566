package io.lifeboat.common.engine.postgres.physical;

import io.lifeboat.common.engine.postgres.wal.BaseBackupRef;
import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalRetention;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * WAL retention tied to the snapshot retention policy: after the policy forgot base backups, the WAL
 * archive of each affected cluster loses the segments no remaining base backup can replay
 * ({@link WalRetention}), and the earliest recoverable point becomes the end of the oldest base backup
 * still in the repository. Nothing else moves it: the WAL is never expired by age, and a cluster left
 * without any base backup keeps all its WAL.
 */
public final class PitrRetention {
    private PitrRetention() {
    }

    /**
     * What happened to one cluster's archive.
     *
     * @param cluster the cluster
     * @param earliestRecoverable the oldest base backup left (its end is the earliest recoverable
     *     point), or empty when none is left
     * @param expired the WAL files expired (or that would be, in a dry run)
     * @param kept how many archived WAL files stay
     * @param retainedByLock WAL files that were due to expire but are still under Object Lock
     *     retention, so they stay until a run after their retain-until date
     */
    public record Outcome(String cluster, Optional<BaseBackupInfo> earliestRecoverable, List<String> expired, int kept,
            List<String> retainedByLock) {
    }

    /** The clusters the base backups among {@code snapshots} belong to, in order. */
    public static Set<String> clustersOf(List<Snapshot> snapshots) {
        Set<String> out = new LinkedHashSet<>();
        for (Snapshot s : snapshots) {
            if (PostgresBaseBackupSource.SOURCE_TYPE.equals(s.sourceType())) {
                String c = s.spec().labels().get(BaseBackupInfo.CLUSTER);
                if (c != null) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /**
     * WAL retention for every cluster that has at least one base backup in the repository, against
     * the base backups it holds now: what {@code prune} runs, so WAL left behind by base backups
     * forgotten without forget's WAL step (by an older Lifeboat, by a forget whose WAL step failed,
     * or by deleting snapshots by hand) is expired too. It deletes only WAL before the oldest base
     * backup still present, so the earliest recoverable point does not move; a cluster with no base
     * backup left is not touched.
     */
    public static List<Outcome> applyAll(Repository repo, boolean dryRun) {
        List<Outcome> out = new ArrayList<>();
        for (String cluster : clustersOf(repo.snapshots())) {
            out.add(apply(repo, cluster, Set.of(), dryRun));
        }
        return out;
    }

    /**
     * Plans (and unless {@code dryRun} applies) WAL retention for {@code cluster} against the base
     * backups the repository holds now.
     *
     * @param exclude snapshot ids (hex) to treat as already forgotten, for a dry run of forget
     */
    public static Outcome apply(Repository repo, String cluster, Set<String> exclude, boolean dryRun) {
        List<BaseBackupInfo> kept = new ArrayList<>();
        for (BaseBackupInfo b : BaseBackupInfo.list(repo, cluster)) {
            if (!exclude.contains(b.snapshot().id().hex())) {
                kept.add(b);
            }
        }
        long segmentSize = kept.isEmpty() ? io.lifeboat.common.engine.postgres.wal.WalNames.DEFAULT_SEGMENT_SIZE
            : kept.get(0).segmentSize();
        WalArchive archive = WalArchive.open(repo, cluster, segmentSize);
        WalRetention.Plan plan = WalRetention.apply(archive, kept.stream().map(PitrRetention::ref).toList(), dryRun);
        Optional<BaseBackupInfo> earliest = plan.earliestRecoverable()
            .flatMap(r -> kept.stream().filter(b -> b.snapshot().id().hex().equals(r.snapshotId())).findFirst());
        return new Outcome(cluster, earliest, plan.expire(), plan.keep().size(), plan.retainedByLock());
    }

    /** What {@link WalRetention} needs to know of a base backup. */
    public static BaseBackupRef ref(BaseBackupInfo b) {
        return new BaseBackupRef(b.snapshot().id().hex(), b.timeline(), b.startLsn().value(), b.stopLsn().value(), b.finished());
    }
}
