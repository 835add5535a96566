package io.lifeboat.cli;

import io.lifeboat.common.engine.SnapshotInspector;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = {"Show what changed between two snapshots.",
    "+ added, - removed, M content or type changed, U only metadata changed."})
final class DiffCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "OLD")
    String first;

    @Parameters(index = "1", paramLabel = "NEW")
    String second;

    @Override
    int run(Repository repo) {
        Snapshot a = repo.snapshot(first);
        Snapshot b = repo.snapshot(second);
        List<SnapshotInspector.Change> changes = new SnapshotInspector(repo).diff(a, b);
        if (root.json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (SnapshotInspector.Change c : changes) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("change", c.kind().name().toLowerCase(java.util.Locale.ROOT));
                m.put("path", "/" + c.path());
                m.put("type", c.type().jsonName());
                list.add(m);
            }
            root.printJson(list);
        } else {
            for (SnapshotInspector.Change c : changes) {
                root.out.println(c.symbol() + "    /" + c.path() + (c.type() == io.lifeboat.common.engine.NodeType.DIR ? "/" : ""));
            }
            long added = changes.stream().filter(c -> c.kind() == SnapshotInspector.Change.Kind.ADDED).count();
            long removed = changes.stream().filter(c -> c.kind() == SnapshotInspector.Change.Kind.REMOVED).count();
            root.out.printf("%d added, %d removed, %d changed%n", added, removed, changes.size() - added - removed);
        }
        return ExitCodes.OK;
    }
}
