package io.lifeboat.common.retention;

import io.lifeboat.common.repository.Snapshot;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What retention needs to know about a snapshot, and nothing more.
 *
 * @param id the snapshot's id (the full id: holds name snapshots by it)
 * @param time the point in time the snapshot represents; periods are computed from it
 * @param tags user tags, matched by {@code --keep-tag} and by holds on a tag
 * @param hostname the host the data came from (grouping)
 * @param paths the source paths (grouping; order does not matter)
 * @param sourceType the engine name (grouping)
 */
public record SnapshotRef(String id, Instant time, Set<String> tags, String hostname, List<String> paths,
                          String sourceType) {

    public SnapshotRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("snapshot id must not be empty");
        }
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        hostname = hostname == null ? "" : hostname;
        paths = paths == null ? List.of() : List.copyOf(paths);
        sourceType = sourceType == null ? "" : sourceType;
    }

    /**
     * The retention view of a repository snapshot. Its time is the backup's start time, not the
     * commit time: a backup that starts at 23:50 and commits at 00:20 holds the data of the day it
     * started, so it counts for that day.
     */
    public static SnapshotRef of(Snapshot snapshot) {
        return new SnapshotRef(snapshot.id().hex(), snapshot.spec().startTime(), Set.copyOf(snapshot.tags()),
            snapshot.spec().hostname(), snapshot.paths(), snapshot.sourceType());
    }

    /** The first 8 characters of the id, for tables. */
    public String shortId() {
        return id.length() <= 8 ? id : id.substring(0, 8);
    }
}
