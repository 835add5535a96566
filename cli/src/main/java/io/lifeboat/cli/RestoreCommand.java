package io.lifeboat.cli;

import io.lifeboat.common.engine.RestoreSummary;
import io.lifeboat.common.engine.files.FileTreeTarget;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", description = {"Restore a snapshot, or chosen paths of it, into a directory.",
    "Example: lifeboat restore latest --target /srv/restore --include data/reports"})
final class RestoreCommand extends RepoCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique prefix, or latest.")
    String snapshotId;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "DIR",
        description = "Directory to restore into; must be empty or missing unless --overwrite.")
    Path target;

    @Option(names = {"-i", "--include"}, paramLabel = "PATH", description = "Restore only this snapshot path (repeatable).")
    List<String> includes = new ArrayList<>();

    @Option(names = "--from-versions", description = "Read through delete markers and overwrites: each object as its newest "
        + "version that authenticates (needs a bucket with versioning or Object Lock).")
    boolean fromVersions;

    @Override
    RepositoryBackend.Access access() {
        return new RepositoryBackend.Access(false, fromVersions);
    }

    @Option(names = "--overwrite", description = "Restore into a non-empty directory, replacing what is in the way.")
    boolean overwrite;

    @Option(names = "--threads", description = "Files written in parallel (default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int threads;

    @Override
    int run(Repository repo) {
        Snapshot s = repo.snapshot(snapshotId);
        RestoreSummary r;
        try (ProgressReporter progress = ProgressReporter.create("restore", root.err, root.quiet || root.json)) {
            if (includes.isEmpty()) {
                Map<String, Long> sum = s.spec().summary();
                progress.totals(sum.getOrDefault("files_new", 0L) + sum.getOrDefault("files_changed", 0L)
                    + sum.getOrDefault("files_unmodified", 0L), sum.getOrDefault("bytes_total", -1L));
            }
            r = new FileTreeTarget(target, overwrite, threads).restore(repo, s, includes, progress);
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("snapshot", s.id().hex());
        details.put("target", target.toAbsolutePath().toString());
        details.put("includes", String.join(",", includes));
        details.put("files", Long.toString(r.files()));
        details.put("bytes", Long.toString(r.bytes()));
        details.put("errors", Long.toString(r.errors()));
        details.put("durationMs", Long.toString(r.elapsed().toMillis()));
        journal(repo, "restore", List.of("snapshots/" + s.id().hex()), details);
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("snapshot", s.id().hex());
            m.put("target", target.toAbsolutePath().toString());
            m.put("files", r.files());
            m.put("dirs", r.dirs());
            m.put("symlinks", r.symlinks());
            m.put("bytes", r.bytes());
            m.put("errors", r.errors());
            m.put("warnings", r.warnings());
            m.put("duration_ms", r.elapsed().toMillis());
            root.printJson(m);
        } else {
            root.out.printf("restored snapshot %s to %s: %d files, %d dirs, %d symlinks, %s in %s%n",
                s.id().shortHex(), target.toAbsolutePath(), r.files(), r.dirs(), r.symlinks(), Format.bytes(r.bytes()),
                Format.duration(r.elapsed().toSeconds()));
            if (r.errors() > 0) {
                root.out.printf("%d items could not be restored (see above)%n", r.errors());
            }
        }
        return r.errors() > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
    }
}
