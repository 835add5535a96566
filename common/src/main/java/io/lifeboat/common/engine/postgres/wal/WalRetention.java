package io.lifeboat.common.engine.postgres.wal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Point-in-time-recovery-aware WAL retention: WAL is worth keeping only while a base backup can
 * replay it. Given the base backups the snapshot retention policy keeps, every archived segment
 * that ends at or before the start of the oldest kept base backup's first segment is needed by no
 * kept backup and is expired; everything from there on stays, on every timeline. Timeline history
 * files are always kept (they are tiny and recovery reads them to choose a timeline).
 *
 * <p>So expiring a base backup expires the WAL only it needed, and the earliest recoverable point
 * becomes the consistent point (stop LSN) of the oldest base backup still kept: it moves only when
 * the snapshot policy forgets a base backup, never because of WAL retention alone. With no base
 * backup kept nothing is expired, since the archive could still serve a base backup restored from
 * elsewhere.
 */
public final class WalRetention {
    private WalRetention() {
    }

    /**
     * What retention would do (or did).
     *
     * @param earliestRecoverable the oldest kept base backup, or empty when none is kept
     * @param expire the WAL files expired (after {@link #apply}: those actually deleted)
     * @param keep the WAL files that stay because a kept base backup may need them
     * @param retainedByLock files retention would expire but Object Lock still protects; they are
     *     kept, and a later run deletes them after their retain-until date
     */
    public record Plan(Optional<BaseBackupRef> earliestRecoverable, List<String> expire, List<String> keep, List<String> retainedByLock) {
        public Plan {
            expire = List.copyOf(expire);
            keep = List.copyOf(keep);
            retainedByLock = List.copyOf(retainedByLock);
        }

        public Plan(Optional<BaseBackupRef> earliestRecoverable, List<String> expire, List<String> keep) {
            this(earliestRecoverable, expire, keep, List.of());
        }
    }

    /**
     * Plans retention over what {@code archive} holds and, unless {@code dryRun}, deletes the expired
     * segments (needs the store's delete permission). Segments still under Object Lock retention are
     * skipped and reported in {@link Plan#retainedByLock()} (a dry run asks the store about locks
     * too, so it reports the same split).
     */
    public static Plan apply(WalArchive archive, List<BaseBackupRef> kept, boolean dryRun) {
        List<WalSegmentRef> refs = archive.list();
        Plan plan = plan(kept, refs.stream().map(WalSegmentRef::fileName).toList(), archive.segmentSize());
        if (plan.expire().isEmpty()) {
            return plan;
        }
        java.util.Set<String> expire = new java.util.HashSet<>(plan.expire());
        WalArchive.Deletion d = archive.deleteSegments(expired(plan, refs), dryRun);
        java.util.Set<String> retained = new java.util.HashSet<>(d.retainedByLock());
        List<String> keep = new ArrayList<>(plan.keep());
        keep.addAll(d.retainedByLock().stream().filter(n -> expire.contains(n)).toList());
        return new Plan(plan.earliestRecoverable(), plan.expire().stream().filter(n -> !retained.contains(n)).toList(), keep,
            d.retainedByLock());
    }

    /** The segments among {@code archived} that {@code plan} expires (with their sizes, for a report or the deletion). */
    public static List<WalSegmentRef> expired(Plan plan, List<WalSegmentRef> archived) {
        java.util.Set<String> expire = new java.util.HashSet<>(plan.expire());
        return archived.stream().filter(r -> expire.contains(r.fileName())).toList();
    }

    /**
     * @param kept the cluster's base backups the snapshot policy keeps
     * @param archived names of the cluster's archived WAL files (segments, partial segments by their
     *     segment name, history files); other names are kept
     * @param segmentSize the cluster's WAL segment size in bytes
     */
    public static Plan plan(List<BaseBackupRef> kept, List<String> archived, long segmentSize) {
        Optional<BaseBackupRef> oldest = kept.stream()
            .min(Comparator.comparing(BaseBackupRef::startLsn, Long::compareUnsigned));
        List<String> expire = new ArrayList<>();
        List<String> keep = new ArrayList<>();
        if (oldest.isEmpty()) {
            keep.addAll(archived);
            return new Plan(oldest, expire, keep);
        }
        long firstNeeded = Long.divideUnsigned(oldest.get().startLsn(), segmentSize) * segmentSize;
        for (String name : archived) {
            Optional<WalSpoolFile> f = WalSpoolFile.parse(name);
            if (f.isPresent() && f.get().kind() != WalSpoolFile.Kind.HISTORY
                    && Long.compareUnsigned(f.get().startLsn(segmentSize) + segmentSize, firstNeeded) <= 0) {
                expire.add(name);
            } else {
                keep.add(name);
            }
        }
        return new Plan(oldest, expire, keep);
    }
}
