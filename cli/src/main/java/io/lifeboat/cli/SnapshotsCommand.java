package io.lifeboat.cli;

import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "snapshots", description = "List snapshots, oldest first.")
final class SnapshotsCommand extends ReadCommand {
    @Override
    int run(Repository repo) {
        List<Snapshot> all = repo.snapshots();
        if (root.json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Snapshot s : all) {
                list.add(toJson(s));
            }
            root.printJson(list);
            return ExitCodes.OK;
        }
        root.out.printf("%-8s  %-19s  %-15s  %-8s  %10s  %s%n", "ID", "Time", "Host", "Type", "Size", "Paths");
        for (Snapshot s : all) {
            Long size = s.spec().summary().get("bytes_total");
            root.out.printf("%-8s  %-19s  %-15s  %-8s  %10s  %s%s%n", s.id().shortHex(), Format.time(s.time()),
                s.spec().hostname(), s.sourceType(), size == null ? "" : Format.bytes(size),
                String.join(", ", s.paths()), s.tags().isEmpty() ? "" : "  [" + String.join(",", s.tags()) + "]");
        }
        root.out.println(all.size() + " snapshot" + (all.size() == 1 ? "" : "s"));
        return ExitCodes.OK;
    }

    static Map<String, Object> toJson(Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id().hex());
        m.put("short_id", s.id().shortHex());
        m.put("time", s.time().toString());
        m.put("source_type", s.sourceType());
        m.put("hostname", s.spec().hostname());
        m.put("username", s.spec().username());
        m.put("paths", s.paths());
        m.put("tags", s.tags());
        m.put("parent", s.spec().parent() == null ? null : s.spec().parent().hex());
        m.put("root", s.root().hex());
        m.put("summary", s.spec().summary());
        m.put("labels", s.labels());
        return m;
    }
}
