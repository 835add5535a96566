package io.lifeboat.common.maintenance;

import java.time.Duration;

/**
 * How {@link Prune#run} works.
 *
 * @param grace how long a pack stays a candidate before a later run may delete it; 24 h by
 *     default. It must exceed the longest time a backup can spend between a dedup decision and
 *     its commit while its session marker is stale; see docs/design/prune.md
 * @param repackThreshold repack a pack that is still used when more than this fraction of its
 *     bytes are unreferenced; 0.2 by default; 1 disables repacking
 * @param dryRun report what would happen and change nothing (takes no lease)
 * @param leaseDuration how long the maintenance lease lasts without renewal; 1 h by default
 * @param settle wait between writing the lease claim and re-reading the claims: zero (one process)
 *     or longer than {@link MaintenanceLease#MAX_CLAIM_GAP}; 1 s by default. Prune spends it
 *     walking the snapshots
 * @param sleeper how the settle wait is spent; tests pass a no-op
 * @param sessionStaleAfter a backup-session marker without heartbeat for this long belongs to a
 *     crashed backup and no longer defers deletions; 48 h by default
 * @param trees how references are read from TREE blobs; {@link JsonTreeReferences} by default
 * @param retentionLock whether Object Lock allows a delete now; null (the default) asks the store
 *     ({@link RetentionLockPolicy#fromStore}), which is {@link RetentionLockPolicy#NONE} for a store without Object Lock
 * @param holder who runs prune, for the lease and the journal; the repository's actor if null
 */
public record PruneOptions(Duration grace, double repackThreshold, boolean dryRun, Duration leaseDuration, Duration settle,
                           MaintenanceLease.Sleeper sleeper, Duration sessionStaleAfter, TreeReferences trees,
                           RetentionLockPolicy retentionLock, String holder) {
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);

    public PruneOptions {
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("the grace period must not be negative");
        }
        if (!(repackThreshold > 0 && repackThreshold <= 1)) {
            throw new IllegalArgumentException("the repack threshold must be in (0, 1]");
        }
        if (leaseDuration == null || leaseDuration.isNegative() || leaseDuration.isZero()) {
            throw new IllegalArgumentException("the lease duration must be positive");
        }
        settle = settle == null ? Duration.ZERO : settle;
        sleeper = sleeper == null ? d -> Thread.sleep(d.toMillis()) : sleeper;
        sessionStaleAfter = sessionStaleAfter == null ? Duration.ofHours(48) : sessionStaleAfter;
        trees = trees == null ? new JsonTreeReferences() : trees;
    }

    public static PruneOptions defaults() {
        return new PruneOptions(DEFAULT_GRACE, 0.2, false, Duration.ofHours(1), Duration.ofSeconds(1), null, null, null, null, null);
    }

    public PruneOptions withGrace(Duration d) {
        return new PruneOptions(d, repackThreshold, dryRun, leaseDuration, settle, sleeper, sessionStaleAfter, trees, retentionLock, holder);
    }

    public PruneOptions withRepackThreshold(double t) {
        return new PruneOptions(grace, t, dryRun, leaseDuration, settle, sleeper, sessionStaleAfter, trees, retentionLock, holder);
    }

    public PruneOptions withDryRun(boolean d) {
        return new PruneOptions(grace, repackThreshold, d, leaseDuration, settle, sleeper, sessionStaleAfter, trees, retentionLock, holder);
    }

    public PruneOptions withLease(Duration duration, Duration settleTime, MaintenanceLease.Sleeper s) {
        return new PruneOptions(grace, repackThreshold, dryRun, duration, settleTime, s, sessionStaleAfter, trees, retentionLock, holder);
    }

    public PruneOptions withSessionStaleAfter(Duration d) {
        return new PruneOptions(grace, repackThreshold, dryRun, leaseDuration, settle, sleeper, d, trees, retentionLock, holder);
    }

    public PruneOptions withRetentionLock(RetentionLockPolicy p) {
        return new PruneOptions(grace, repackThreshold, dryRun, leaseDuration, settle, sleeper, sessionStaleAfter, trees, p, holder);
    }

    public PruneOptions withHolder(String h) {
        return new PruneOptions(grace, repackThreshold, dryRun, leaseDuration, settle, sleeper, sessionStaleAfter, trees, retentionLock, h);
    }
}
