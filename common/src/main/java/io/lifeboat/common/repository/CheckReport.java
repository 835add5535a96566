package io.lifeboat.common.repository;

import io.lifeboat.common.pack.PackId;
import java.util.List;

/**
 * What {@link RepositoryChecker} found.
 *
 * @param problems every problem, errors first, each naming its object
 * @param damagedPacks packs whose content failed to verify, with the blobs they hold, so the
 *     engine can tell which snapshots are affected
 * @param packsRead packs downloaded and verified by the read-data check
 * @param blobsRead blobs decrypted and verified
 * @param bytesRead bytes downloaded by the read-data check
 */
public record CheckReport(List<Problem> problems, List<DamagedPack> damagedPacks, long packsRead, long blobsRead, long bytesRead) {
    public CheckReport {
        problems = List.copyOf(problems);
        damagedPacks = List.copyOf(damagedPacks);
    }

    /** True if no problem is an error (warnings such as unindexed packs are allowed). */
    public boolean ok() {
        return problems.stream().noneMatch(p -> p.severity() == Severity.ERROR);
    }

    public List<Problem> errors() {
        return problems.stream().filter(p -> p.severity() == Severity.ERROR).toList();
    }

    /** How bad a problem is. */
    public enum Severity {
        /** Data or metadata is missing or damaged. */
        ERROR,
        /** Harmless but worth knowing: unreferenced packs, duplicate entries. */
        WARNING
    }

    /** One finding. */
    public record Problem(Severity severity, String object, String message) {
        @Override
        public String toString() {
            return severity + " " + object + ": " + message;
        }
    }

    /**
     * A pack that failed verification.
     *
     * @param pack its id
     * @param key its object key
     * @param reason one line
     * @param blobs the blobs the index places in it (all of which must be treated as damaged)
     */
    public record DamagedPack(PackId pack, String key, String reason, List<BlobId> blobs) {
        public DamagedPack {
            blobs = List.copyOf(blobs);
        }
    }
}
