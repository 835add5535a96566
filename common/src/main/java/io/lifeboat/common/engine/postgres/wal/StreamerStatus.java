package io.lifeboat.common.engine.postgres.wal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a WAL streamer reports every few seconds, to the archive's status object and to its output.
 *
 * @param cluster the cluster name the archive is kept under
 * @param streamerId who streams (host and process), to tell streamers apart in logs and status
 * @param slot the replication slot streamed from
 * @param synchronous whether commits wait for this streamer
 * @param timeline the timeline being streamed; 0 before anything was received
 * @param lastArchivedLsn the end of the WAL stored in the archive (completed segments plus the valid
 *     part of the last partial segment); 0 before anything was stored
 * @param archivedThrough every transaction that committed before this time is in the archive; null
 *     while unknown. Taken from samples of the server's WAL position and clock, so it is a lower bound
 *     (a commit may be archived earlier than this says), never an overstatement
 * @param lagBytes bytes of WAL the server has written beyond {@code lastArchivedLsn}; -1 while unknown
 *     (the server is unreachable)
 * @param slotRetainedBytes bytes of WAL the slot keeps on the server; -1 while unknown
 * @param slotWalStatus {@code pg_replication_slots.wal_status} ({@code reserved}, {@code extended},
 *     {@code unreserved}, {@code lost}), or empty while unknown
 * @param serverReachable whether the last probe of the server answered
 * @param updatedAt when this status was made
 */
public record StreamerStatus(
        String cluster,
        String streamerId,
        String slot,
        boolean synchronous,
        int timeline,
        long lastArchivedLsn,
        Instant archivedThrough,
        long lagBytes,
        long slotRetainedBytes,
        String slotWalStatus,
        boolean serverReachable,
        Instant updatedAt) {

    /** The status as flat JSON-friendly fields (LSNs as PostgreSQL text). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", cluster);
        m.put("streamer", streamerId);
        m.put("slot", slot);
        m.put("synchronous", synchronous);
        m.put("timeline", timeline);
        m.put("last_archived_lsn", new Lsn(lastArchivedLsn).toString());
        m.put("archived_through", archivedThrough == null ? null : archivedThrough.toString());
        m.put("lag_bytes", lagBytes);
        m.put("slot_retained_bytes", slotRetainedBytes);
        m.put("slot_wal_status", slotWalStatus);
        m.put("server_reachable", serverReachable);
        m.put("updated_at", updatedAt.toString());
        return m;
    }
}
