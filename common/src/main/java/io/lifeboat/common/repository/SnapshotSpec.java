package io.lifeboat.common.repository;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an engine commits as a snapshot: the root blob of its tree and the facts a user filters
 * and retention decides by. Never holds secrets: labels and paths are stored in the manifest.
 *
 * @param sourceType engine name, for example {@code files}, {@code stream}, {@code postgres-logical}
 * @param root the TREE blob that is the root of the snapshot's content
 * @param hostname the host the data came from
 * @param username the user (or service account) that took the snapshot
 * @param paths source paths or names, for display and for choosing a parent
 * @param tags user tags, used by retention ({@code --keep-tag}) and holds
 * @param parent the snapshot this one was taken relative to, or null
 * @param startTime when the backup started reading its source
 * @param summary counters of the run: files, bytes read, bytes added, blobs added, ...
 * @param labels engine-specific facts (database name, server version, ...); never secrets
 */
public record SnapshotSpec(
        String sourceType,
        BlobId root,
        String hostname,
        String username,
        List<String> paths,
        List<String> tags,
        SnapshotId parent,
        Instant startTime,
        Map<String, Long> summary,
        Map<String, String> labels) {

    public SnapshotSpec {
        Objects.requireNonNull(sourceType, "sourceType");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(startTime, "startTime");
        hostname = hostname == null ? "" : hostname;
        username = username == null ? "" : username;
        paths = paths == null ? List.of() : List.copyOf(paths);
        tags = tags == null ? List.of() : List.copyOf(tags);
        summary = summary == null ? Map.of() : Map.copyOf(summary);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
