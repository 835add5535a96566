package io.lifeboat.common.engine.postgres;

import io.lifeboat.common.engine.ChildProcess;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.RestoreSummary;
import io.lifeboat.common.engine.RestoreTarget;
import io.lifeboat.common.engine.SnapshotInspector;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Restores one database of a {@code postgres-logical} snapshot, whole or chosen schemas or tables, by
 * streaming its dump from the repository into {@code pg_restore}'s standard input (no local copy), or,
 * with {@link PostgresRestoreRequest#jobs} above 1, by spooling it to a private file first (free space
 * checked against the recorded dump size before anything is written; the file is deleted afterwards,
 * also on failure) and running {@code pg_restore --jobs}; then validates every restored table against
 * the row count and checksum recorded at backup time.
 *
 * <p>Safety: nothing is dropped unless the request says {@code clean}, and then only the objects the
 * request names (pg_restore's {@code --clean} drops exactly what it restores). Without {@code clean}, a
 * table that already exists in the target fails the restore before anything is written. A streaming
 * pg_restore run is one transaction, so a failure leaves the target as it was; a parallel run cannot be
 * one transaction (hence no {@code clean} with jobs), so a failure leaves what it restored so far. A
 * database this restore created is dropped again when the restore fails.
 *
 * <p>Errors: before writing, {@link EngineException} with one line (wrong password, missing
 * permission, target exists or is missing, version mismatch, no space to spool); a pg_restore run that
 * fails (disk full on the server, ...) throws {@link PostgresRestoreException}, one line naming the
 * tables not restored, with a report. Threading: one run at a time per instance.
 */
public final class PostgresLogicalTarget implements RestoreTarget {
    private final PgConnection conn;
    private final PgTools tools;
    private final PostgresRestoreRequest request;

    public PostgresLogicalTarget(PgConnection conn, PgTools tools, PostgresRestoreRequest request) {
        this.conn = Objects.requireNonNull(conn, "conn");
        this.tools = Objects.requireNonNull(tools, "tools");
        this.request = Objects.requireNonNull(request, "request");
    }

    /** Restores as asked at construction; {@code includes} must be empty (choose with the request instead). */
    @Override
    public RestoreSummary restore(Repository repository, Snapshot snapshot, List<String> includes,
            ProgressListener progress) {
        if (!includes.isEmpty()) {
            throw new IllegalArgumentException("choose schemas and tables through the restore request");
        }
        PostgresRestoreReport r;
        try {
            r = restoreDatabase(repository, snapshot, progress);
        } catch (PostgresRestoreException e) {
            // The port's callers know EngineException; the report is for callers of restoreDatabase.
            throw new EngineException(e.getMessage(), e);
        }
        List<String> warnings = new ArrayList<>(r.warnings());
        for (PostgresRestoreReport.TableResult t : r.tables()) {
            if (t.status() != PostgresRestoreReport.Status.PASS) {
                warnings.add(t.schema() + "." + t.table() + ": " + t.status());
            }
        }
        return new RestoreSummary(r.tables().size(), 0, 0, 0, r.failed(), warnings, r.elapsed());
    }

    /** Loads the manifest of a {@code postgres-logical} snapshot. */
    public static PostgresManifest manifest(Repository repository, Snapshot snapshot) {
        if (!PostgresLogicalSource.SOURCE_TYPE.equals(snapshot.sourceType())) {
            throw new EngineException("snapshot " + snapshot.id().shortHex() + " is a '" + snapshot.sourceType()
                + "' snapshot, not a PostgreSQL logical backup");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new SnapshotInspector(repository).dump(snapshot, PostgresManifest.NODE, out);
        } catch (IOException e) {
            throw new EngineException("cannot read the manifest: " + e.getMessage(), e);
        }
        return PostgresManifest.decode(out.toByteArray());
    }

    /**
     * Restores and validates; the report says, per table, whether the data matches the backup.
     *
     * @throws PostgresRestoreException if a pg_restore run failed after it started writing; its report
     *     says which tables were not restored
     * @throws EngineException for failures before anything was written (permissions, target exists, no
     *     space to spool the archive, ...)
     */
    public PostgresRestoreReport restoreDatabase(Repository repository, Snapshot snapshot, ProgressListener progress) {
        Instant start = Instant.now();
        PostgresManifest manifest = manifest(repository, snapshot);
        PostgresManifest.Database source = manifest.database(request.database()).orElseThrow(() -> new EngineException(
            "snapshot " + snapshot.id().shortHex() + " holds no dump of database '" + request.database() + "' (it holds: "
                + String.join(", ", manifest.databases().stream().map(PostgresManifest.Database::name).toList()) + ")"));
        List<PostgresManifest.TableStats> selected = select(source);
        String algorithm = source.algorithm(manifest);
        checkAlgorithm(algorithm);
        PgTools.checkRestoreSupports(tools.majorVersion("pg_restore"), manifest.pgDumpMajor());
        Path spoolDir = request.jobs() > 1 ? spoolDir() : null;
        if (spoolDir != null) {
            checkSpoolSpace(spoolDir, source);
        }
        String target = request.targetDatabase();
        boolean created = prepareDatabase(target);
        List<String> warnings = new ArrayList<>();
        List<PostgresManifest.TableStats> restored = new ArrayList<>();
        Path archive = null;
        try {
            refuseExisting(target, selected);
            if (spoolDir != null) {
                archive = spool(repository, snapshot, source, spoolDir, progress);
            }
            createSchemas(target);
            List<PostgresManifest.TableStats> singles = selected.stream()
                .filter(t -> request.tables().contains(t.qualified()) && !request.schemas().contains(t.schema()))
                .toList();
            if (request.whole() || !request.schemas().isEmpty()) {
                List<PostgresManifest.TableStats> inRun = selected.stream().filter(t -> !singles.contains(t)).toList();
                runRestore(repository, snapshot, source, target, archive, tools.restoreCommand(target, request.schemas(),
                    List.of(), request.schemaOnly(), request.clean(), request.noOwner(), request.jobs(), archive),
                    inRun, progress);
                restored.addAll(inRun);
            }
            if (!singles.isEmpty()) {
                warnings.addAll(restoreTables(repository, snapshot, source, target, archive, selected, singles,
                    progress));
                restored.addAll(singles);
            }
        } catch (RunFailed e) {
            if (created) {
                dropCreated(target, e);
            }
            throw failedReport(snapshot, target, created, selected, restored, e, warnings, start, algorithm);
        } catch (RuntimeException e) {
            if (created) {
                dropCreated(target, e);
            }
            throw e;
        } finally {
            deleteSpool(archive);
        }
        List<PostgresRestoreReport.TableResult> results = validate(target, selected, algorithm);
        return new PostgresRestoreReport(snapshot.id().hex(), request.database(), target, request.schemaOnly(), created,
            results, warnings, Duration.between(start, Instant.now()));
    }

    /** A pg_restore run that failed after it may have written; carries the tables that run held. */
    private static final class RunFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<PostgresManifest.TableStats> tables;

        RunFailed(String message, List<PostgresManifest.TableStats> tables) {
            super(message);
            this.tables = List.copyOf(tables);
        }
    }

    /**
     * Builds the failure report: into a database this restore created (and dropped again) nothing is
     * restored; into an existing one, the tables of earlier runs are validated, and those of the failed
     * run are NOT_RESTORED after a rolled-back single transaction, or validated as found after a
     * parallel run (which cannot be one transaction).
     */
    private PostgresRestoreException failedReport(Snapshot snapshot, String target, boolean created,
            List<PostgresManifest.TableStats> selected, List<PostgresManifest.TableStats> restored, RunFailed failure,
            List<String> warnings, Instant start, String algorithm) {
        List<PostgresRestoreReport.TableResult> results = new ArrayList<>();
        List<PostgresManifest.TableStats> toValidate = new ArrayList<>();
        if (!created) {
            toValidate.addAll(restored);
            if (request.jobs() > 1) {
                toValidate.addAll(failure.tables);
            }
        }
        Set<PostgresManifest.TableStats> validated = new java.util.HashSet<>();
        List<String> notes = new ArrayList<>(warnings);
        if (!toValidate.isEmpty()) {
            try {
                List<PostgresRestoreReport.TableResult> found = validate(target, toValidate, algorithm);
                for (int i = 0; i < toValidate.size(); i++) {
                    validated.add(toValidate.get(i));
                    results.add(found.get(i));
                }
            } catch (EngineException e) {
                notes.add("could not validate after the failure: " + e.getMessage());
            }
        }
        List<String> notRestored = new ArrayList<>();
        for (PostgresManifest.TableStats t : selected) {
            if (!validated.contains(t)) {
                results.add(new PostgresRestoreReport.TableResult(t.schema(), t.table(), request.schemaOnly() ? 0 : t.rows(),
                    -1, request.schemaOnly() ? "0" : t.checksum(), null, PostgresRestoreReport.Status.NOT_RESTORED));
            }
        }
        for (PostgresRestoreReport.TableResult r : results) {
            if (r.status() != PostgresRestoreReport.Status.PASS) {
                notRestored.add(r.schema() + "." + r.table());
            }
        }
        StringBuilder msg = new StringBuilder(failure.getMessage());
        if (created) {
            msg.append("; database '").append(target).append("', created by this restore, was dropped again");
        } else if (request.jobs() > 1) {
            msg.append("; a parallel restore is not one transaction, so what it restored before the failure stays in '")
                .append(target).append("'");
        } else {
            msg.append("; that pg_restore run was rolled back");
        }
        if (!notRestored.isEmpty()) {
            msg.append("; not restored: ").append(String.join(", ", notRestored.subList(0, Math.min(5, notRestored.size()))));
            if (notRestored.size() > 5) {
                msg.append(" and ").append(notRestored.size() - 5).append(" more");
            }
        }
        PostgresRestoreReport report = new PostgresRestoreReport(snapshot.id().hex(), request.database(), target,
            request.schemaOnly(), created, results, notes, Duration.between(start, Instant.now()));
        return new PostgresRestoreException(msg.toString(), report, failure);
    }

    private Path spoolDir() {
        Path dir = request.spoolDir() != null ? request.spoolDir() : Path.of(System.getProperty("java.io.tmpdir"));
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new EngineException("spool directory " + dir + " is not a writable directory; choose another "
                + "--spool-dir, or restore without --jobs (streaming needs no local space)");
        }
        return dir;
    }

    /** Refuses, before anything is written, a spool directory with less free space than the archive needs. */
    private static void checkSpoolSpace(Path dir, PostgresManifest.Database source) {
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new EngineException("cannot tell the free space of spool directory " + dir + ": " + e.getMessage(), e);
        }
        if (free < source.dumpBytes()) {
            throw new EngineException("not enough space in spool directory " + dir + " for the archive of database '"
                + source.name() + "': it needs " + mib(source.dumpBytes()) + ", " + mib(free) + " are free; "
                + "choose another --spool-dir, or restore without --jobs (streaming needs no local space)");
        }
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** Writes the archive to a private file in {@code dir}; the caller deletes it. */
    private static Path spool(Repository repository, Snapshot snapshot, PostgresManifest.Database source, Path dir,
            ProgressListener progress) {
        Path file;
        try {
            file = Files.createTempFile(dir, "lifeboat-restore-", ".dump",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            try {
                file = Files.createTempFile(dir, "lifeboat-restore-", ".dump");
            } catch (IOException e2) {
                throw new EngineException("cannot create the spool file in " + dir + ": " + e2.getMessage(), e2);
            }
        } catch (IOException e) {
            throw new EngineException("cannot create the spool file in " + dir + ": " + e.getMessage(), e);
        }
        progress.itemStarted("spool " + source.dump());
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            dump(repository, snapshot, source.dump(), out, progress);
        } catch (IOException e) {
            deleteSpool(file);
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new EngineException((why.toLowerCase(java.util.Locale.ROOT).contains("no space left")
                ? "disk full in spool directory " + dir : "cannot spool the archive to " + dir) + " while writing "
                + source.dump() + ": " + why + "; nothing was restored", e);
        } catch (RuntimeException e) {
            deleteSpool(file);
            throw e;
        }
        progress.itemDone("spool " + source.dump(), source.dumpBytes(), true);
        return file;
    }

    private static void deleteSpool(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // Left in the spool directory, named lifeboat-restore-*.dump; reported by nothing else.
            }
        }
    }

    private static void dump(Repository repository, Snapshot snapshot, String node, OutputStream out,
            ProgressListener progress) throws IOException {
        OutputStream counting = new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                progress.bytesProcessed(len);
            }
        };
        new SnapshotInspector(repository).dump(snapshot, node, counting);
    }

    /** The manifest's tables this request restores; a named table that is not in the backup is an error. */
    List<PostgresManifest.TableStats> select(PostgresManifest.Database source) {
        if (request.whole()) {
            return source.tables();
        }
        Set<PostgresManifest.TableStats> out = new LinkedHashSet<>();
        for (PostgresManifest.TableStats t : source.tables()) {
            if (request.schemas().contains(t.schema())) {
                out.add(t);
            }
        }
        for (String q : request.tables()) {
            int dot = q.indexOf('.');
            out.add(source.table(q.substring(0, dot), q.substring(dot + 1)).orElseThrow(() -> new EngineException(
                "table " + q + " is not in the backup of database '" + source.name() + "'")));
        }
        return List.copyOf(out);
    }

    /**
     * Runs one pg_restore: streaming the archive into its standard input, or reading {@code archive}.
     *
     * @throws RunFailed if pg_restore failed (it may have written before failing)
     */
    private void runRestore(Repository repository, Snapshot snapshot, PostgresManifest.Database source, String target,
            Path archive, List<String> cmd, List<PostgresManifest.TableStats> tables, ProgressListener progress) {
        progress.itemStarted(source.dump());
        ChildProcess.Outcome<Void> out = ChildProcess.writeStdin(cmd, conn.childEnvironment(), stdin -> {
            if (archive == null) {
                dump(repository, snapshot, source.dump(), stdin, progress);
            }
        });
        if (!out.ok()) {
            throw new RunFailed(PgErrors.ofTool("pg_restore", out.exitCode(), out.stderr(), conn, target).getMessage(),
                tables);
        }
        progress.itemDone(source.dump(), source.dumpBytes(), true);
    }

    /**
     * Restores single tables with their indexes, constraints, triggers, defaults and owned sequences:
     * reads the archive's table of contents, keeps those entries ({@link PgRestoreList}) and restores
     * exactly them with {@code --use-list}. The list file holds entry names only, no data.
     *
     * @return notes on foreign keys left out
     */
    private List<String> restoreTables(Repository repository, Snapshot snapshot, PostgresManifest.Database source,
            String target, Path archive, List<PostgresManifest.TableStats> selected,
            List<PostgresManifest.TableStats> singles, ProgressListener progress) {
        ChildProcess.Outcome<String> toc = ChildProcess.pipe(tools.listCommand(archive), conn.childEnvironment(),
            stdin -> {
                if (archive == null) {
                    dump(repository, snapshot, source.dump(), stdin, ProgressListener.NONE);
                }
            },
            in -> new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        if (!toc.ok()) {
            throw new EngineException("pg_restore --list failed with exit code " + toc.exitCode() + ": " + toc.stderr());
        }
        Set<String> restored = new java.util.HashSet<>();
        selected.forEach(t -> restored.add(t.qualified()));
        Set<String> present = new java.util.HashSet<>();
        try (Connection c = conn.open(target)) {
            for (PostgresManifest.TableStats t : singles) {
                for (PostgresManifest.ForeignKey fk : t.dependents().foreignKeys()) {
                    if (PgChecksums.exists(c, fk.schema(), fk.table())) {
                        present.add(fk.schema() + "." + fk.table());
                    }
                }
            }
        } catch (SQLException e) {
            throw PgErrors.of(e, conn, target, "checking the target database");
        }
        PgRestoreList.Selection sel = PgRestoreList.select(toc.value(), singles,
            q -> restored.contains(q) || present.contains(q));
        java.nio.file.Path list = null;
        try {
            list = Files.createTempFile("lifeboat-pg-restore", ".list");
            Files.write(list, sel.lines());
            runRestore(repository, snapshot, source, target, archive, tools.restoreListCommand(target, list,
                request.schemaOnly(), request.clean(), request.noOwner(), request.jobs(), archive), singles, progress);
        } catch (IOException e) {
            throw new EngineException("cannot write the pg_restore list file: " + e.getMessage(), e);
        } finally {
            if (list != null) {
                try {
                    Files.deleteIfExists(list);
                } catch (IOException ignored) {
                    // A temp file of entry names; the OS cleans its temp directory.
                }
            }
        }
        return sel.skipped();
    }

    /** Creates the target when asked; refuses a missing target otherwise. Returns true if created here. */
    private boolean prepareDatabase(String target) {
        try (Connection admin = conn.open(conn.database())) {
            boolean exists;
            try (PreparedStatement ps = admin.prepareStatement("select 1 from pg_database where datname = ?")) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (request.createDatabase()) {
                if (exists) {
                    throw new EngineException("target database '" + target + "' already exists on " + conn.host() + ":"
                        + conn.port() + "; leave out --create-database to restore into it, or choose another name");
                }
                try (Statement st = admin.createStatement()) {
                    st.execute("CREATE DATABASE " + PgChecksums.quote(target) + " TEMPLATE template0");
                }
                return true;
            }
            if (!exists) {
                throw new EngineException("target database '" + target + "' does not exist on " + conn.host() + ":"
                    + conn.port() + "; add --create-database to create it");
            }
            return false;
        } catch (SQLException e) {
            throw PgErrors.of(e, conn, conn.database(), "preparing target database '" + target + "'");
        }
    }

    /** Refuses, without clean, tables being restored that already exist in the target. */
    private void refuseExisting(String target, List<PostgresManifest.TableStats> selected) {
        if (request.clean()) {
            return;
        }
        try (Connection c = conn.open(target)) {
            List<String> existing = new ArrayList<>();
            for (PostgresManifest.TableStats t : selected) {
                if (PgChecksums.exists(c, t.schema(), t.table())) {
                    existing.add(t.qualified());
                }
            }
            if (!existing.isEmpty()) {
                throw new EngineException((existing.size() == 1 ? "table " : "tables ")
                    + String.join(", ", existing.subList(0, Math.min(5, existing.size())))
                    + (existing.size() > 5 ? " and " + (existing.size() - 5) + " more" : "")
                    + " already exist" + (existing.size() == 1 ? "s" : "") + " in database '" + target
                    + "'; restore into another database, or add --clean to drop and replace only the restored objects");
            }
        } catch (SQLException e) {
            throw PgErrors.of(e, conn, target, "checking the target database");
        }
    }

    /** Creates the schemas a partial restore needs (pg_restore -n and --use-list do not create them). */
    private void createSchemas(String target) {
        if (request.whole()) {
            return;
        }
        Set<String> schemas = new LinkedHashSet<>(request.schemas());
        for (String q : request.tables()) {
            schemas.add(q.substring(0, q.indexOf('.')));
        }
        try (Connection c = conn.open(target); Statement st = c.createStatement()) {
            for (String s : schemas) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + PgChecksums.quote(s));
            }
        } catch (SQLException e) {
            throw PgErrors.of(e, conn, target, "creating schemas in the target database");
        }
    }

    /** Refuses, before anything is written, checksums this version cannot recompute. */
    private static void checkAlgorithm(String algorithm) {
        if (!PgChecksums.ALGORITHM.equals(algorithm) && !PgCopyLineHasher.knows(algorithm)) {
            throw new EngineException("the backup's table checksums use algorithm '" + algorithm + "', which this "
                + "version of Lifeboat cannot validate (it knows " + PgCopyLineHasher.ALGORITHM + ", "
                + PgCopyLineHasher.SHA256_ALGORITHM + " and " + PgChecksums.ALGORITHM + "); use a newer Lifeboat");
        }
    }

    private List<PostgresRestoreReport.TableResult> validate(String target, List<PostgresManifest.TableStats> selected,
            String algorithm) {
        List<PostgresRestoreReport.TableResult> out = new ArrayList<>();
        try (Connection c = conn.open(target)) {
            PgChecksums.fixSession(c);
            for (PostgresManifest.TableStats t : selected) {
                if (!PgChecksums.exists(c, t.schema(), t.table())) {
                    out.add(new PostgresRestoreReport.TableResult(t.schema(), t.table(), t.rows(), -1, t.checksum(), null,
                        PostgresRestoreReport.Status.MISSING));
                    continue;
                }
                PostgresManifest.TableStats found = PgCopyLineHasher.knows(algorithm)
                    ? PgChecksums.ofCopy(c, t.schema(), t.table(), t.copyColumns(), algorithm)
                    : PgChecksums.of(c, t.schema(), t.table());
                long expectedRows = request.schemaOnly() ? 0 : t.rows();
                String expectedSum = request.schemaOnly() ? "0" : t.checksum();
                PostgresRestoreReport.Status status = found.rows() == expectedRows && found.checksum().equals(expectedSum)
                    ? PostgresRestoreReport.Status.PASS : PostgresRestoreReport.Status.FAIL;
                out.add(new PostgresRestoreReport.TableResult(t.schema(), t.table(), expectedRows, found.rows(),
                    expectedSum, found.checksum(), status));
            }
        } catch (SQLException e) {
            throw PgErrors.of(e, conn, target, "validating the restored tables");
        }
        return out;
    }

    private void dropCreated(String target, RuntimeException cause) {
        try (Connection admin = conn.open(conn.database()); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + PgChecksums.quote(target));
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
