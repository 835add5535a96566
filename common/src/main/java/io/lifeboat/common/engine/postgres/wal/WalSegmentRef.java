package io.lifeboat.common.engine.postgres.wal;

import java.time.Instant;

/**
 * One archived segment as a listing shows it (no object is read).
 *
 * @param timeline the timeline
 * @param segment the 24-hex segment name
 * @param partial true for the streamer's (or PostgreSQL's, after a promotion) incomplete copy
 * @param size the stored object's size in bytes (compressed and encrypted)
 * @param lastModified when the store last wrote it
 */
public record WalSegmentRef(int timeline, String segment, boolean partial, long size, Instant lastModified) {
    /** The file name PostgreSQL uses: the segment name, with {@code .partial} for a partial one. */
    public String fileName() {
        return partial ? segment + ".partial" : segment;
    }
}
