package io.lifeboat.common.engine.postgres.wal;

import java.time.Instant;
import java.util.Objects;

/**
 * What WAL retention needs to know of one base backup of a cluster.
 *
 * @param snapshotId the snapshot holding it
 * @param timeline the timeline it was taken on
 * @param startLsn where its WAL replay starts (the backup's checkpoint redo point)
 * @param stopLsn where it is consistent: the earliest point it can be recovered to
 * @param stopTime when the backup finished (the time of {@code stopLsn})
 */
public record BaseBackupRef(String snapshotId, int timeline, long startLsn, long stopLsn, Instant stopTime) {
    public BaseBackupRef {
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(stopTime, "stopTime");
        if (Long.compareUnsigned(stopLsn, startLsn) < 0) {
            throw new IllegalArgumentException("base backup " + snapshotId + " stops (" + new Lsn(stopLsn).toString()
                + ") before it starts (" + new Lsn(startLsn).toString() + ")");
        }
    }
}
