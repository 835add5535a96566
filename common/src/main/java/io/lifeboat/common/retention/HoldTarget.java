package io.lifeboat.common.retention;

import java.util.Objects;

/**
 * What a legal hold protects: one snapshot by its full id, or every snapshot carrying a tag.
 * Immutable values; {@link #matches} is pure, thread-safe and throws nothing.
 */
public sealed interface HoldTarget {

    /** True when the hold protects {@code snapshot}. */
    boolean matches(SnapshotRef snapshot);

    /** A hold on one snapshot, named by its full id (the CLI resolves prefixes before it writes the hold). */
    record OnSnapshot(String snapshotId) implements HoldTarget {
        public OnSnapshot {
            Objects.requireNonNull(snapshotId, "snapshotId");
            if (snapshotId.isBlank()) {
                throw new IllegalArgumentException("a hold's snapshot id must not be empty");
            }
        }

        @Override
        public boolean matches(SnapshotRef snapshot) {
            return snapshot.id().equals(snapshotId);
        }

        @Override
        public String toString() {
            return "snapshot " + snapshotId;
        }
    }

    /** A hold on every snapshot that has the tag, including snapshots tagged after the hold was set. */
    record OnTag(String tag) implements HoldTarget {
        public OnTag {
            Objects.requireNonNull(tag, "tag");
            if (tag.isBlank()) {
                throw new IllegalArgumentException("a hold's tag must not be empty");
            }
        }

        @Override
        public boolean matches(SnapshotRef snapshot) {
            return snapshot.tags().contains(tag);
        }

        @Override
        public String toString() {
            return "tag " + tag;
        }
    }
}
