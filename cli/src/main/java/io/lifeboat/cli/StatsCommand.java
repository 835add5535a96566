package io.lifeboat.cli;

import io.lifeboat.common.engine.SnapshotInspector;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stats", description = "Count snapshots, files and bytes, and how well data deduplicates.")
final class StatsCommand extends RepoCommand {
    @Parameters(arity = "0..*", paramLabel = "SNAPSHOT", description = "Only these snapshots (default: all).")
    List<String> ids = new ArrayList<>();

    @Override
    int run(Repository repo) {
        List<Snapshot> snaps = ids.isEmpty() ? repo.snapshots() : ids.stream().map(repo::snapshot).toList();
        SnapshotInspector.Stats st = new SnapshotInspector(repo).stats(snaps);
        OptionalLong stored = root.backend.storedBytes(repo);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("snapshots", st.snapshots());
        m.put("files", st.files());
        m.put("dirs", st.dirs());
        m.put("logical_bytes", st.logicalBytes());
        m.put("unique_files", st.uniqueFiles());
        m.put("unique_blobs", st.uniqueBlobs());
        if (stored.isPresent()) {
            m.put("stored_bytes", stored.getAsLong());
            m.put("dedup_ratio", stored.getAsLong() == 0 ? null
                : Math.round(100.0 * st.logicalBytes() / stored.getAsLong()) / 100.0);
        }
        if (root.json) {
            root.printJson(m);
        } else {
            root.out.printf("Snapshots:      %d%n", st.snapshots());
            root.out.printf("Files:          %d (%d distinct contents), %d directories%n", st.files(), st.uniqueFiles(),
                st.dirs());
            root.out.printf("Logical size:   %s (what restoring every snapshot would write)%n",
                Format.bytes(st.logicalBytes()));
            if (stored.isPresent()) {
                root.out.printf("Stored size:    %s in packs (compressed, encrypted, whole repository)%n",
                    Format.bytes(stored.getAsLong()));
                if (stored.getAsLong() > 0) {
                    root.out.printf("Space saving:   %.2fx%n", (double) st.logicalBytes() / stored.getAsLong());
                }
            }
        }
        return ExitCodes.OK;
    }
}
