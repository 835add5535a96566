package io.lifeboat.common.maintenance;

import java.util.List;

/**
 * What a prune run did (or, with {@code dryRun}, would do).
 *
 * @param dryRun true if nothing was changed
 * @param token the fencing token of the run's lease; 0 for a dry run
 * @param snapshots snapshots whose trees were walked
 * @param referencedBlobs distinct blobs the snapshots reference
 * @param packs packs in the store
 * @param marked packs newly recorded as candidates (unreferenced, or just repacked)
 * @param unmarked candidates referenced again, whose records were removed
 * @param repacked partly used packs whose live blobs were copied into new packs
 * @param repackedBlobs blobs copied by repacking
 * @param deleted candidate packs deleted (phase 2)
 * @param freedBytes bytes of the deleted packs
 * @param indexFilesRewritten index files replaced because they named deleted packs
 * @param waitingForGrace candidates whose grace period has not passed yet
 * @param deferredBySessions candidates kept because a backup that may use them is running
 * @param retainedByLock candidates kept because Object Lock forbids deleting them yet
 * @param staleSessions markers of crashed backups removed
 * @param deletedPacks keys of the deleted packs
 */
public record PruneReport(boolean dryRun, long token, int snapshots, long referencedBlobs, int packs, int marked, int unmarked,
                          int repacked, long repackedBlobs, int deleted, long freedBytes, int indexFilesRewritten,
                          int waitingForGrace, int deferredBySessions, int retainedByLock, int staleSessions,
                          List<String> deletedPacks) {
    public PruneReport {
        deletedPacks = List.copyOf(deletedPacks);
    }

    /** One line for a terminal or a log. */
    public String summary() {
        return (dryRun ? "would free " : "freed ") + freedBytes + " bytes in " + deleted + " packs; "
            + marked + " packs marked for deletion, " + unmarked + " unmarked, " + repacked + " repacked (" + repackedBlobs + " blobs); "
            + waitingForGrace + " waiting for the grace period, " + deferredBySessions + " deferred by running backups, "
            + retainedByLock + " retained by object lock";
    }
}
