package io.lifeboat.cli;

import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.BackupSummary;
import io.lifeboat.common.engine.postgres.PostgresLogicalSource;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.store.StoreException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup-postgres", description = {
    "Back up PostgreSQL databases with pg_dump (custom format), streamed into the repository.",
    "Row counts and checksums of every table are taken in the dump's own snapshot, for validation at restore.",
    "Examples: lifeboat backup-postgres --dsn postgresql://backup@db1/postgres --database shop --globals",
    "          PGPASSFILE=~/.pgpass lifeboat backup-postgres --all --globals"})
final class BackupPostgresCommand extends RepoCommand {
    @Mixin
    PgOptions pg;

    @Option(names = {"-d", "--database"}, paramLabel = "NAME", description = "Database to dump (repeatable).")
    List<String> databases = new ArrayList<>();

    @Option(names = "--all", description = "Dump every database that is not a template.")
    boolean all;

    @Option(names = "--globals", description = "Also dump roles and tablespaces (pg_dumpall --globals-only).")
    boolean globals;

    @Mixin
    StreamBackupOptions backup;

    /** Started before the repository opens ({@link #startBeforeOpen}); its chunker is set in {@link #run}. */
    private PostgresLogicalSource.Prepared prepared;

    @Override
    void checkArguments() {
        if (all && !databases.isEmpty()) {
            throw new CliException("use either --all or --database", ExitCodes.USAGE);
        }
        if (!all && databases.isEmpty() && !globals) {
            throw new CliException("nothing to back up: give --database NAME, --all or --globals", ExitCodes.USAGE);
        }
    }

    /** The server's versions, the databases and the first exported snapshot, while the repository opens. */
    @Override
    AutoCloseable startBeforeOpen() {
        prepared = PostgresLogicalSource.prepare(pg.connection(root.env), pg.tools(), databases, all, globals);
        return prepared;
    }

    @Override
    int run(Repository repo) {
        PostgresLogicalSource source = prepared.source(root.backend.chunker(repo.chunkerParams()));
        BackupOptions options = backup.options();
        BackupResult result;
        try (ProgressReporter progress = ProgressReporter.create("backup", root.err, root.quiet || root.json)) {
            result = source.backup(repo, options, progress);
        } catch (RepositoryException | StoreException e) {
            if (diskFull(e)) {
                throw new CliException("disk full where the repository is stored: " + e.getMessage()
                    + "; no snapshot was committed; free space and run the backup again", ExitCodes.FAILURE);
            }
            throw e;
        }
        BackupSummary s = result.summary();
        Map<String, String> labels = result.snapshot().spec().labels();
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("snapshot", result.snapshot().id().hex());
            m.put("source_type", result.snapshot().sourceType());
            m.put("databases", labels.getOrDefault("databases", ""));
            m.put("server_version", labels.get("server_version"));
            m.putAll(s.toMap());
            root.printJson(m);
        } else {
            root.out.printf("Databases:  %s%s (PostgreSQL %s)%n", labels.getOrDefault("databases", ""),
                globals ? " + globals" : "", labels.get("server_version"));
            root.out.printf("Added:      %s in %d new blobs (before compression)%n", Format.bytes(s.bytesAdded()),
                s.blobsAdded());
            root.out.printf("Processed:  %s in %s%n", Format.bytes(s.bytesTotal()),
                Format.duration(s.elapsed().toSeconds()));
            root.out.println("snapshot " + result.snapshot().id().shortHex() + " saved");
        }
        return ExitCodes.OK;
    }

    /** ENOSPC anywhere in the cause chain (a local or mounted repository's file system is full). */
    private static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("no space left on device")) {
                return true;
            }
        }
        return false;
    }
}
