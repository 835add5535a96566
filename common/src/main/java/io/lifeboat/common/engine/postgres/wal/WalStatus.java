package io.lifeboat.common.engine.postgres.wal;

import java.time.Instant;

/**
 * What the WAL streamer last reported about a cluster's archive; written to
 * {@code wal/<cluster>/status} every few seconds (docs/repository-format.md, section 16).
 *
 * @param timeline the timeline being archived
 * @param lastArchivedLsn the end of the WAL known to be in the archive (complete or partial), {@code X/Y}
 * @param lastCommitTime commit time of the last transaction known archived, or null if unknown
 * @param lagBytes how far the archive is behind the server's current WAL position, in bytes
 * @param slotRetainedBytes WAL the replication slot holds back on the server, in bytes (-1 if unknown)
 * @param updatedAt when the streamer wrote this status
 * @param streamerId who wrote it (host, process), to tell streamers apart
 */
public record WalStatus(int timeline, String lastArchivedLsn, Instant lastCommitTime, long lagBytes, long slotRetainedBytes,
        Instant updatedAt, String streamerId) {
}
