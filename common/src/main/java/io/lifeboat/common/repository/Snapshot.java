package io.lifeboat.common.repository;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A committed snapshot, as read back from its signed manifest.
 *
 * @param id the manifest's id
 * @param spec what the engine asked to commit
 * @param time when the manifest was committed
 */
public record Snapshot(SnapshotId id, SnapshotSpec spec, Instant time) {

    public BlobId root() {
        return spec.root();
    }

    public String sourceType() {
        return spec.sourceType();
    }

    public List<String> paths() {
        return spec.paths();
    }

    public List<String> tags() {
        return spec.tags();
    }

    public Map<String, String> labels() {
        return spec.labels();
    }
}
