package io.lifeboat.common.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The key of a retention group: the values of the {@link GroupBy} attributes the policy groups by;
 * an attribute not grouped by is null. Paths and tags are sorted, so their order never splits a
 * group.
 */
public record SnapshotGroup(String hostname, String sourceType, List<String> paths, List<String> tags) {

    public SnapshotGroup {
        paths = paths == null ? null : List.copyOf(paths);
        tags = tags == null ? null : List.copyOf(tags);
    }

    public static SnapshotGroup of(SnapshotRef s, Set<GroupBy> groupBy) {
        return new SnapshotGroup(
            groupBy.contains(GroupBy.HOST) ? s.hostname() : null,
            groupBy.contains(GroupBy.SOURCE_TYPE) ? s.sourceType() : null,
            groupBy.contains(GroupBy.PATHS) ? s.paths().stream().sorted().distinct().toList() : null,
            groupBy.contains(GroupBy.TAGS) ? s.tags().stream().sorted().toList() : null);
    }

    /** For display: {@code host=db1 type=files paths=[/etc, /srv]}, or {@code (all snapshots)}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (hostname != null) {
            parts.add("host=" + hostname);
        }
        if (sourceType != null) {
            parts.add("type=" + sourceType);
        }
        if (paths != null) {
            parts.add("paths=" + paths);
        }
        if (tags != null) {
            parts.add("tags=" + tags);
        }
        return parts.isEmpty() ? "(all snapshots)" : String.join(" ", parts);
    }
}
