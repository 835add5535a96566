package io.lifeboat.cli;

import io.lifeboat.common.engine.RestoreSummary;
import io.lifeboat.common.engine.RestoreTarget;
import io.lifeboat.common.engine.files.FileTreeTarget;
import io.lifeboat.common.engine.objects.ObjectStoreTarget;
import io.lifeboat.common.store.ObjectStore;
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

@Command(name = "restore", description = {"Restore a snapshot, or chosen paths of it, into a directory or an S3 prefix.",
    "Example: lifeboat restore latest --target /srv/restore --include data/reports",
    "         lifeboat restore latest --target s3:restore-bucket/images"})
final class RestoreCommand extends ReadCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique prefix, or latest.")
    String snapshotId;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "DIR|s3:BUCKET/PREFIX",
        description = "Directory to restore into, or an S3 prefix (each file becomes an object, at most "
            + "256 MiB each; settings from LIFEBOAT_TARGET_S3_*, else LIFEBOAT_S3_*); must be empty or missing "
            + "unless --overwrite.")
    String target;

    @Option(names = {"-i", "--include"}, paramLabel = "PATH", description = "Restore only this snapshot path (repeatable).")
    List<String> includes = new ArrayList<>();

    @Option(names = "--overwrite", description = "Restore into a non-empty directory, replacing what is in the way.")
    boolean overwrite;

    @Option(names = "--threads", description = "Files written in parallel (default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int threads;

    /** The target when it is an S3 location, else null. */
    private RepositoryLocation.S3 s3Target() {
        if (!target.strip().toLowerCase(java.util.Locale.ROOT).startsWith("s3:")) {
            return null;
        }
        try {
            return (RepositoryLocation.S3) RepositoryLocation.parse(target);
        } catch (IllegalArgumentException e) {
            throw new CliException("--target: " + e.getMessage(), ExitCodes.USAGE);
        }
    }

    private RestoreSummary restoreTo(Repository repo, Snapshot s, ProgressReporter progress) {
        RepositoryLocation.S3 s3 = s3Target();
        if (s3 == null) {
            return new FileTreeTarget(Path.of(target), overwrite, threads).restore(repo, s, includes, progress);
        }
        try (ObjectStore store = root.backend.targetStore(s3)) {
            RestoreTarget t = new ObjectStoreTarget(store, "", overwrite, threads);
            return t.restore(repo, s, includes, progress);
        }
    }

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
            r = restoreTo(repo, s, progress);
        }
        String where = s3Target() != null ? s3Target().toString() : Path.of(target).toAbsolutePath().toString();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("snapshot", s.id().hex());
        details.put("target", where);
        details.put("includes", String.join(",", includes));
        details.put("files", Long.toString(r.files()));
        details.put("bytes", Long.toString(r.bytes()));
        details.put("errors", Long.toString(r.errors()));
        details.put("durationMs", Long.toString(r.elapsed().toMillis()));
        journal(repo, "restore", List.of("snapshots/" + s.id().hex()), details);
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("snapshot", s.id().hex());
            m.put("target", where);
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
                s.id().shortHex(), where, r.files(), r.dirs(), r.symlinks(), Format.bytes(r.bytes()),
                Format.duration(r.elapsed().toSeconds()));
            if (r.errors() > 0) {
                root.out.printf("%d items could not be restored (see above)%n", r.errors());
            }
        }
        return r.errors() > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
    }
}
