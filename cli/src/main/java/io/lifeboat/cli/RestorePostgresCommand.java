package io.lifeboat.cli;

import io.lifeboat.common.engine.postgres.PgConnection;
import io.lifeboat.common.engine.postgres.PostgresLogicalTarget;
import io.lifeboat.common.engine.postgres.PostgresRestoreException;
import io.lifeboat.common.engine.postgres.PostgresRestoreReport;
import io.lifeboat.common.engine.postgres.PostgresRestoreRequest;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore-postgres", description = {
    "Restore a database of a PostgreSQL backup, whole or chosen schemas or tables, and validate it.",
    "Nothing is dropped unless --clean is given, and then only the objects being restored.",
    "Examples: lifeboat restore-postgres latest --database shop --target-database shop2 --create-database",
    "          lifeboat restore-postgres 3f2a --database shop --table public.orders --clean"})
final class RestorePostgresCommand extends RepoCommand {
    @Mixin
    PgOptions pg;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique prefix, or latest.")
    String snapshotId;

    @Option(names = {"-d", "--database"}, required = true, paramLabel = "NAME", description = "Database in the backup.")
    String database;

    @Option(names = "--target-database", paramLabel = "NAME",
        description = "Database to restore into (default: --database).")
    String targetDatabase;

    @Option(names = {"-t", "--table"}, paramLabel = "SCHEMA.TABLE",
        description = "Restore only this table, with its indexes, constraints, triggers and sequences (repeatable).")
    List<String> tables = new ArrayList<>();

    @Option(names = {"-n", "--schema"}, paramLabel = "SCHEMA", description = "Restore only this schema (repeatable).")
    List<String> schemas = new ArrayList<>();

    @Option(names = "--schema-only", description = "Restore definitions, no data.")
    boolean schemaOnly;

    @Option(names = "--clean", description = "Drop the objects being restored first (never others).")
    boolean clean;

    @Option(names = "--if-exists", description = "With --clean: do not fail on objects that are missing (always on).")
    boolean ifExists;

    @Option(names = "--create-database", description = "Create the target database; it must not exist.")
    boolean createDatabase;

    @Option(names = "--no-owner", description = "Do not restore object owners (for a server whose roles differ).")
    boolean noOwner;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "1",
        description = "Parallel pg_restore jobs (default: 1, streamed in one transaction). Above 1 the archive is "
            + "spooled to --spool-dir first and the restore is not one transaction; not with --clean.")
    int jobs;

    @Option(names = "--spool-dir", paramLabel = "DIR",
        description = "Where --jobs spools the archive (default: java.io.tmpdir); needs the dump's size free; "
            + "the file is deleted afterwards.")
    java.nio.file.Path spoolDir;

    @Override
    int run(Repository repo) {
        if (spoolDir != null && jobs == 1) {
            throw new CliException("--spool-dir only goes with --jobs N (N > 1); a streaming restore spools nothing",
                ExitCodes.USAGE);
        }
        if (ifExists && !clean) {
            throw new CliException("--if-exists only goes with --clean", ExitCodes.USAGE);
        }
        PostgresRestoreRequest request;
        try {
            request = new PostgresRestoreRequest(database, targetDatabase, schemas, tables, schemaOnly, clean,
                createDatabase, noOwner, jobs, spoolDir);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
        Snapshot s = repo.snapshot(snapshotId);
        PgConnection conn = pg.connection(root.env);
        PostgresRestoreReport r;
        try (ProgressReporter progress = ProgressReporter.create("restore", root.err, root.quiet || root.json)) {
            r = new PostgresLogicalTarget(conn, pg.tools(), request).restoreDatabase(repo, s, progress);
        } catch (PostgresRestoreException e) {
            print(e.report(), s, e.getMessage());
            throw new CliException(e.getMessage(), ExitCodes.FAILURE);
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("snapshot", s.id().hex());
        details.put("database", database);
        details.put("target", conn.host() + ":" + conn.port() + "/" + r.targetDatabase());
        details.put("tables", String.join(",", tables));
        details.put("schemas", String.join(",", schemas));
        details.put("tablesValidated", Integer.toString(r.tables().size()));
        details.put("tablesFailed", Long.toString(r.failed()));
        details.put("durationMs", Long.toString(r.elapsed().toMillis()));
        journal(repo, "restore-postgres", List.of("snapshots/" + s.id().hex()), details);
        print(r, s, null);
        return r.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** The report on standard output, as text or JSON; {@code error} is the failure's line, or null. */
    private void print(PostgresRestoreReport r, Snapshot s, String error) {
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("snapshot", r.snapshot());
            m.put("database", r.database());
            m.put("target_database", r.targetDatabase());
            m.put("created_database", r.createdDatabase());
            m.put("schema_only", r.schemaOnly());
            m.put("ok", error == null && r.ok());
            if (error != null) {
                m.put("error", error);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (PostgresRestoreReport.TableResult t : r.tables()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("schema", t.schema());
                row.put("table", t.table());
                row.put("status", t.status().name());
                row.put("expected_rows", t.expectedRows());
                row.put("actual_rows", t.actualRows());
                row.put("expected_checksum", t.expectedChecksum());
                row.put("actual_checksum", t.actualChecksum());
                rows.add(row);
            }
            m.put("tables", rows);
            m.put("warnings", r.warnings());
            m.put("duration_ms", r.elapsed().toMillis());
            root.printJson(m);
        } else {
            if (error == null) {
                root.out.printf("restored database %s of snapshot %s into %s%s%n", database, s.id().shortHex(),
                    r.targetDatabase(), r.createdDatabase() ? " (created)" : "");
            } else {
                root.out.printf("restore of database %s of snapshot %s into %s FAILED%n", database, s.id().shortHex(),
                    r.targetDatabase());
            }
            for (PostgresRestoreReport.TableResult t : r.tables()) {
                if (t.actualRows() < 0) {
                    root.out.printf("  %-7s %s.%s (expected %d rows)%n", t.status(), t.schema(), t.table(),
                        t.expectedRows());
                } else {
                    root.out.printf("  %-7s %s.%s: %d rows (expected %d)%n", t.status(), t.schema(), t.table(),
                        t.actualRows(), t.expectedRows());
                }
            }
            for (String w : r.warnings()) {
                root.out.println("note: " + w);
            }
            root.out.printf("%d of %d tables validated%s%n", r.tables().size() - r.failed(), r.tables().size(),
                error != null ? "; RESTORE FAILED" : r.ok() ? "" : "; VALIDATION FAILED");
        }
    }
}
