package io.lifeboat.common.engine.postgres.physical;

import io.lifeboat.common.engine.postgres.wal.Lsn;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What a {@code postgres-base} snapshot records about its base backup, from the snapshot's labels.
 *
 * @param snapshot the snapshot
 * @param cluster the WAL archive name it belongs to
 * @param timeline the timeline the backup started on
 * @param startLsn where recovery from it starts (the checkpoint's redo point)
 * @param stopLsn the first position at which a recovery from it is consistent
 * @param startSegment the first WAL segment recovery needs (24 hex)
 * @param walMode {@code fetch} (the WAL to reach consistency is inside the tar) or {@code none}
 *     (it is in the WAL archive)
 * @param started when pg_basebackup was started
 * @param finished when it finished (at or after the stop point)
 * @param systemIdentifier the cluster's system identifier
 * @param segmentSize the cluster's WAL segment size in bytes
 */
public record BaseBackupInfo(Snapshot snapshot, String cluster, int timeline, Lsn startLsn, Lsn stopLsn, String startSegment,
        String walMode, Instant started, Instant finished, String systemIdentifier, long segmentSize) {

    static final String CLUSTER = "cluster";
    static final String TIMELINE = "timeline";
    static final String START_LSN = "start_lsn";
    static final String STOP_LSN = "stop_lsn";
    static final String START_SEGMENT = "start_segment";
    static final String WAL_MODE = "wal_mode";
    static final String STARTED = "backup_started";
    static final String FINISHED = "backup_finished";
    static final String SYSTEM_ID = "system_identifier";
    static final String SEGMENT_SIZE = "wal_segment_size";

    /** Reads the labels of a {@code postgres-base} snapshot. */
    public static BaseBackupInfo of(Snapshot s) {
        Map<String, String> l = s.spec().labels();
        try {
            return new BaseBackupInfo(s, l.get(CLUSTER), Integer.parseInt(l.get(TIMELINE)), Lsn.parse(l.get(START_LSN)),
                Lsn.parse(l.get(STOP_LSN)), l.get(START_SEGMENT), l.get(WAL_MODE), Instant.parse(l.get(STARTED)),
                Instant.parse(l.get(FINISHED)), l.get(SYSTEM_ID), Long.parseLong(l.get(SEGMENT_SIZE)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("snapshot " + s.id().shortHex() + " is not a complete postgres-base snapshot");
        }
    }

    /** The base backups of {@code cluster} in the repository, oldest first. */
    public static List<BaseBackupInfo> list(Repository repo, String cluster) {
        return repo.snapshots().stream()
            .filter(s -> PostgresBaseBackupSource.SOURCE_TYPE.equals(s.sourceType()) && cluster.equals(s.spec().labels().get(CLUSTER)))
            .map(BaseBackupInfo::of)
            .sorted(Comparator.comparing(BaseBackupInfo::finished))
            .toList();
    }
}
