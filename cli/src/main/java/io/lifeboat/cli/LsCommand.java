package io.lifeboat.cli;

import io.lifeboat.common.engine.SnapshotInspector;
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ls", description = "List the files of a snapshot.")
final class LsCommand extends ReadCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique prefix, or latest.")
    String snapshotId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "Only under this path.")
    String path = "";

    @Option(names = {"-l", "--long"}, description = "Show mode, owner, size and time.")
    boolean longFormat;

    @Override
    int run(Repository repo) {
        Snapshot s = repo.snapshot(snapshotId);
        new SnapshotInspector(repo).list(s, path, (p, n) -> {
            if (root.json) {
                root.printJson(toJson(p, n));
            } else if (longFormat) {
                root.out.printf("%s %-8s %-8s %12d %s /%s%s%n", mode(n), n.user().isEmpty() ? n.uid() : n.user(),
                    n.group().isEmpty() ? n.gid() : n.group(), n.size(),
                    Format.time(Instant.ofEpochSecond(0, n.mtimeNs())), p,
                    n.isSymlink() ? " -> " + n.linkTarget() : "");
            } else {
                root.out.println("/" + p + (n.isDir() ? "/" : ""));
            }
            return true;
        });
        return ExitCodes.OK;
    }

    static Map<String, Object> toJson(String path, TreeNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", "/" + path);
        m.put("name", n.name());
        m.put("type", n.type().jsonName());
        m.put("mode", n.mode());
        m.put("uid", n.uid());
        m.put("gid", n.gid());
        m.put("user", n.user());
        m.put("group", n.group());
        m.put("size", n.size());
        m.put("mtime", Instant.ofEpochSecond(0, n.mtimeNs()).toString());
        if (n.isSymlink()) {
            m.put("target", n.linkTarget());
        }
        return m;
    }

    static String mode(TreeNode n) {
        StringBuilder b = new StringBuilder(n.isDir() ? "d" : n.isSymlink() ? "l" : "-");
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            b.append((n.mode() & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return b.toString();
    }
}
