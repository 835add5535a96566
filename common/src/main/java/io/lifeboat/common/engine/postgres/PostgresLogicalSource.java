package io.lifeboat.common.engine.postgres;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.engine.BackupCounters;
import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.BackupSource;
import io.lifeboat.common.engine.ChildProcess;
import io.lifeboat.common.engine.ContentWriter;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.NodeType;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.Tree;
import io.lifeboat.common.engine.TreeNames;
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Backs up PostgreSQL databases logically as one snapshot of source type {@value #SOURCE_TYPE}: a node
 * {@code <db>.dump} per database ({@code pg_dump -Fc -Z0}: custom format, uncompressed, because the
 * repository compresses and uncompressed dumps deduplicate far better), {@code globals.sql}
 * ({@code pg_dumpall --globals-only}) when asked, and {@code manifest.json} ({@link PostgresManifest}).
 *
 * <p>Streaming: each tool's standard output is chunked and stored as it arrives (through
 * {@link ContentWriter}); nothing is written to local disk. A dump's first {@value #HEADER_BLOB} bytes,
 * which hold pg_dump's time stamp, are chunked apart from the rest so that an unchanged database stores
 * only that head again. The summary's {@code bytes_total} counts what the tools wrote (dumps and
 * globals), not the manifest.
 *
 * <p>Exactness: per database, a REPEATABLE READ, READ ONLY transaction exports its snapshot, lists
 * every table in it, and stays open while pg_dump reads that same snapshot ({@code --snapshot}). Row
 * counts and checksums ({@value PgCopyLineHasher#ALGORITHM}) are computed from pg_dump's COPY data as
 * the archive streams past ({@link PgCustomArchiveScanner}), so every table is read once and the values
 * describe exactly the dumped data even while writes continue. If the archive cannot be scanned, a
 * warning says so and the SQL checksum ({@link PgChecksums}) is computed in the still-open snapshot.
 * Databases are consistent each on its own, not with each other.
 *
 * <p>Errors: connection, permission and version problems throw {@link EngineException} with one line
 * that says what to do, before anything is committed.
 *
 * <p>Overlap: {@link #prepare} starts the work that needs no repository (server and tool versions,
 * the list of databases, the first database's exported snapshot, and that database's pg_dump itself)
 * on a background thread, so a caller can open the repository (scrypt, a KMS call) meanwhile;
 * {@link #backup} then uses it. Until the backup takes it, pg_dump's output waits in memory, at most
 * {@value #DUMP_READ_AHEAD_BLOCKS} blocks of {@value DumpReadAhead#BLOCK} bytes ({@link DumpReadAhead});
 * then pg_dump waits. If the repository cannot be opened, that pg_dump is killed. Whoever calls
 * {@link #prepare} must {@link #close} the source. Threading: as {@link BackupSource}.
 */
public final class PostgresLogicalSource implements BackupSource, AutoCloseable {
    public static final String SOURCE_TYPE = "postgres-logical";

    /** Bytes of a dump stored apart from the rest, so that its time stamp does not spoil deduplication. */
    static final int HEADER_BLOB = 4096;

    private final PgConnection conn;
    private final PgTools tools;
    private final List<String> databases;
    private final boolean all;
    private final boolean globals;
    private final Chunker chunker;
    /** Started by {@link #prepare} ({@link Prepared#source}); taken by {@link #backup}. */
    private CompletableFuture<Preflight> prepared;
    /** Set by {@link Prepared#source} to its own. */
    private int readAheadBlocks = DUMP_READ_AHEAD_BLOCKS;

    /**
     * @param databases databases to dump; ignored when {@code all}
     * @param all dump every database that is not a template and accepts connections
     * @param globals also dump roles and tablespaces
     */
    public PostgresLogicalSource(PgConnection conn, PgTools tools, List<String> databases, boolean all,
            boolean globals, Chunker chunker) {
        this.conn = Objects.requireNonNull(conn, "conn");
        this.tools = Objects.requireNonNull(tools, "tools");
        this.databases = List.copyOf(databases);
        this.all = all;
        this.globals = globals;
        this.chunker = Objects.requireNonNull(chunker, "chunker");
        if (!all && this.databases.isEmpty() && !globals) {
            throw new IllegalArgumentException("nothing to back up: name a database, all databases, or the globals");
        }
    }

    @Override
    public String sourceType() {
        return SOURCE_TYPE;
    }

    @Override
    public List<String> paths() {
        List<String> p = new ArrayList<>();
        p.add(conn.host() + ":" + conn.port());
        if (all) {
            p.add("all");
        } else {
            p.addAll(databases);
        }
        if (globals) {
            p.add("globals");
        }
        return p;
    }

    /**
     * What {@link #backup} learns before it reads any data.
     *
     * @param dumpTool pg_dump's version and whether it runs under stdbuf
     * @param first the first database's pg_dump, already running in its exported snapshot, or null
     *     (none, not started yet, or its start failed: the backup then tries again and reports why)
     */
    private record Preflight(String serverVersion, int serverVersionNum, List<String> names, int dumpMajor,
            PgTools.DumpTool dumpTool, RunningDump first) {
    }

    /**
     * Starts, on a background thread, what a backup needs before its first byte of data and before
     * it knows its repository: the server's and pg_dump's versions, the databases, and the first
     * database's exported snapshot. Errors surface from {@link #backup}. Close the result when done.
     *
     * @param databases as for the constructor
     */
    public static Prepared prepare(PgConnection conn, PgTools tools, List<String> databases, boolean all,
            boolean globals) {
        return prepare(conn, tools, databases, all, globals, DUMP_READ_AHEAD_BLOCKS);
    }

    /** As {@link #prepare(PgConnection, PgTools, List, boolean, boolean)}, with the read-ahead's size (tests). */
    static Prepared prepare(PgConnection conn, PgTools tools, List<String> databases, boolean all, boolean globals,
            int readAheadBlocks) {
        return new Prepared(conn, tools, databases, all, globals, readAheadBlocks);
    }

    /** Work started by {@link #prepare}: becomes a source once the chunker is known. */
    public static final class Prepared implements AutoCloseable {
        private final PgConnection conn;
        private final PgTools tools;
        private final List<String> databases;
        private final boolean all;
        private final boolean globals;
        private final CompletableFuture<Preflight> future;
        private final int readAheadBlocks;
        private PostgresLogicalSource source;

        private Prepared(PgConnection conn, PgTools tools, List<String> databases, boolean all, boolean globals,
                int readAheadBlocks) {
            this.readAheadBlocks = readAheadBlocks;
            this.conn = conn;
            this.tools = tools;
            this.databases = List.copyOf(databases);
            this.all = all;
            this.globals = globals;
            if (!all && databases.isEmpty() && !globals) {
                throw new IllegalArgumentException("nothing to back up: name a database, all databases, or the globals");
            }
            this.future = CompletableFuture.supplyAsync(() -> preflight(conn, tools, this.databases, all,
                    readAheadBlocks), r -> {
                Thread t = new Thread(r, "lifeboat-pg-prepare");
                t.setDaemon(true);
                t.start();
            });
        }

        /** The source that uses this preparation; call once. */
        public synchronized PostgresLogicalSource source(Chunker chunker) {
            if (source != null) {
                throw new IllegalStateException("the prepared source was already taken");
            }
            source = new PostgresLogicalSource(conn, tools, databases, all, globals, chunker);
            source.prepared = future;
            source.readAheadBlocks = readAheadBlocks;
            return source;
        }

        /** Ends what the backup did not use (an exported snapshot's transaction). */
        @Override
        public synchronized void close() {
            if (source != null) {
                source.close();
            } else {
                closeUnused(future);
            }
        }
    }

    /** Ends what {@link #prepare} started and {@link #backup} did not use (its snapshot transaction). */
    @Override
    public void close() {
        CompletableFuture<Preflight> p;
        synchronized (this) {
            p = prepared;
            prepared = null;
        }
        closeUnused(p);
    }

    private static void closeUnused(CompletableFuture<Preflight> p) {
        if (p == null) {
            return;
        }
        try {
            Preflight f = p.join();
            if (f.first() != null) {
                f.first().close();
            }
        } catch (RuntimeException e) {
            // The preparation failed: nothing is open, and its error was reported or is moot.
        }
    }

    /**
     * @param startFirst when positive, also exports the first database's snapshot and starts its
     *     pg_dump, with a read-ahead of this many blocks
     */
    private static Preflight preflight(PgConnection conn, PgTools tools, List<String> databases, boolean all,
            int startFirst) {
        String serverVersion;
        int serverVersionNum;
        List<String> names;
        // pg_dump's version meanwhile: a process start and exit, beside the login.
        CompletableFuture<PgTools.DumpTool> versionLine = CompletableFuture.supplyAsync(tools::dumpTool, r -> {
            Thread t = new Thread(r, "lifeboat-pg-version");
            t.setDaemon(true);
            t.start();
        });
        // One login instead of two where it can: when the databases are named, these queries run on
        // the first one's connection, which then exports its snapshot (a login is a SCRAM exchange,
        // 4096 PBKDF2 rounds on each side, and a new backend).
        String adminDb = startFirst > 0 && !all && !databases.isEmpty() ? databases.get(0) : conn.database();
        Connection admin = null;
        try {
            admin = conn.open(adminDb);
            try (Statement st = admin.createStatement();
                    ResultSet rs = st.executeQuery("select current_setting('server_version'), "
                        + "current_setting('server_version_num')::int")) {
                rs.next();
                serverVersion = rs.getString(1);
                serverVersionNum = rs.getInt(2);
            }
            names = new ArrayList<>(all ? allDatabases(admin) : checkExist(conn, admin, databases));
            PgTools.DumpTool dumpTool;
            try {
                dumpTool = versionLine.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw EngineException.propagate(e.getCause(), "running pg_dump --version");
            }
            int dumpMajor = PgTools.parseMajor(dumpTool.versionLine());
            PgTools.checkDumpSupports(dumpMajor, serverVersionNum);
            for (String db : names) {
                if (!TreeNames.isSafe(db + ".dump") || db.equals(PostgresManifest.NODE) || db.equals("globals")) {
                    throw new EngineException("database name '" + db + "' cannot be stored as a snapshot node");
                }
            }
            RunningDump first = null;
            if (startFirst > 0 && !names.isEmpty()) {
                String db = names.get(0);
                Connection reused = null;
                if (db.equals(adminDb)) {
                    reused = admin;
                    admin = null; // handed over to the export
                }
                try {
                    first = startDump(conn, tools, dumpTool.buffered(),
                        reused != null ? export(conn, db, reused) : export(conn, db), startFirst);
                } catch (EngineException e) {
                    // Left to the backup, which reports it (or, with --all, skips a database dropped meanwhile).
                }
            }
            return new Preflight(serverVersion, serverVersionNum, names, dumpMajor, dumpTool, first);
        } catch (SQLException e) {
            if ("3D000".equals(e.getSQLState()) && !adminDb.equals(conn.database())) {
                throw new EngineException("database '" + adminDb + "' does not exist on " + conn.host() + ":"
                    + conn.port() + "; nothing was committed");
            }
            throw PgErrors.of(e, conn, adminDb, "reading the list of databases");
        } finally {
            closeQuietly(admin);
        }
    }

    private Preflight takePrepared() {
        CompletableFuture<Preflight> p;
        synchronized (this) {
            p = prepared;
            prepared = null;
        }
        if (p == null) {
            return preflight(conn, tools, databases, all, 0);
        }
        try {
            return p.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw EngineException.propagate(e.getCause(), "preparing the backup");
        }
    }

    @Override
    public BackupResult backup(Repository repository, BackupOptions options, ProgressListener progress) {
        Instant start = Instant.now();
        BackupCounters counters = new BackupCounters();
        Preflight pre = takePrepared();
        RunningDump firstDump = pre.first();
        try {
            return backup(repository, options, progress, start, counters, pre, firstDump);
        } finally {
            if (firstDump != null) {
                firstDump.close();
            }
        }
    }

    private BackupResult backup(Repository repository, BackupOptions options, ProgressListener progress, Instant start,
            BackupCounters counters, Preflight pre, RunningDump firstDump) {
        String serverVersion = pre.serverVersion();
        int serverVersionNum = pre.serverVersionNum();
        List<String> names = new ArrayList<>(pre.names());
        int dumpMajor = pre.dumpMajor();
        String dumpVersion = pre.dumpTool().versionLine();
        List<TreeNode> nodes = new ArrayList<>();
        List<PostgresManifest.Database> dumped = new ArrayList<>();
        long total = 0;
        BlobId root;
        try (ContentWriter writer = new ContentWriter(repository, chunker, counters, options.threads(),
                options.threads() * 2)) {
            for (String db : List.copyOf(names)) {
                String node = db + ".dump";
                progress.itemStarted(node);
                DumpedDatabase d;
                try {
                    RunningDump r = firstDump != null && firstDump.exported().db().equals(db) ? firstDump
                        : startDump(conn, tools, pre.dumpTool().buffered(), export(conn, db), readAheadBlocks);
                    try (r) {
                        d = finishDump(r, writer, progress);
                    }
                } catch (EngineException e) {
                    if (all && e.getCause() instanceof SQLException se && "3D000".equals(se.getSQLState())) {
                        // With --all, a database dropped between listing and dumping is no longer part of "all".
                        String w = "database '" + db + "' was dropped during the backup; skipped";
                        counters.warn(w);
                        progress.warning(w);
                        names.remove(db);
                        continue;
                    }
                    throw e;
                }
                if (d.warning() != null) {
                    counters.warn(d.warning());
                    progress.warning(d.warning());
                }
                nodes.add(fileNode(node, d.stored()));
                dumped.add(new PostgresManifest.Database(db, node, d.stored().size(), d.tables(),
                    d.checksumAlgorithm()));
                total += d.stored().size();
                counters.filesNew.incrementAndGet();
                progress.itemDone(node, d.stored().size(), true);
            }
            if (globals) {
                progress.itemStarted(PostgresManifest.GLOBALS_NODE);
                ChildProcess.Outcome<ContentWriter.Stored> out = ChildProcess.readStdout(
                    tools.globalsCommand(conn.database()), conn.childEnvironment(), in -> writer.write(in, progress));
                if (!out.ok()) {
                    throw failed(PgErrors.ofTool("pg_dumpall", out.exitCode(), out.stderr(), conn, conn.database()));
                }
                nodes.add(fileNode(PostgresManifest.GLOBALS_NODE, out.value()));
                total += out.value().size();
                counters.filesNew.incrementAndGet();
                progress.itemDone(PostgresManifest.GLOBALS_NODE, out.value().size(), true);
            }
            PostgresManifest manifest = new PostgresManifest(PostgresManifest.VERSION, serverVersion, serverVersionNum,
                dumpVersion, dumpMajor, PgCopyLineHasher.ALGORITHM, globals, dumped);
            ContentWriter.Stored m;
            try {
                m = writer.write(new ByteArrayInputStream(manifest.encode()), ProgressListener.NONE);
            } catch (IOException e) {
                throw new EngineException("cannot store the manifest: " + e.getMessage(), e);
            }
            // The manifest is Lifeboat's own record, not data read from the server: not in bytes_total.
            nodes.add(fileNode(PostgresManifest.NODE, m));
            counters.filesNew.incrementAndGet();
            root = writer.saveTree(Tree.of(nodes));
        }
        counters.bytesTotal.addAndGet(total);
        var summary = counters.summary();
        Map<String, String> labels = new LinkedHashMap<>(options.labels());
        labels.put("server", conn.host() + ":" + conn.port());
        labels.put("server_version", serverVersion);
        labels.put("pg_dump_version", Integer.toString(dumpMajor));
        labels.put("databases", String.join(",", names));
        labels.put("globals", Boolean.toString(globals));
        Snapshot snapshot = repository.commitSnapshot(new SnapshotSpec(SOURCE_TYPE, root, options.hostname(),
            options.username(), paths(), options.tags(), null, start, summary.toMap(), labels));
        return new BackupResult(snapshot, summary);
    }

    /** @param warning why the SQL checksum was used instead of the archive scan, or null */
    private record DumpedDatabase(ContentWriter.Stored stored, List<PostgresManifest.TableStats> tables,
            String checksumAlgorithm, String warning) {
    }

    /**
     * Exports a snapshot, lists every table in it, and runs pg_dump in it while the transaction stays
     * open; the tables' counts and checksums come from scanning the archive as it streams
     * ({@link PgCustomArchiveScanner}). If the archive cannot be scanned (or is not UTF-8), they are
     * computed with SQL ({@link PgChecksums}) in the same still-open snapshot instead.
     */
    /**
     * A database's REPEATABLE READ, READ ONLY transaction and the snapshot it exported; closing it
     * closes the connection, which ends the transaction.
     */
    private record Exported(String db, Connection connection, String snapshotId) implements AutoCloseable {
        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                // Closing ends the transaction whatever the error; there is nothing left to undo.
            }
        }
    }

    private static Exported export(PgConnection conn, String db) {
        Connection c;
        try {
            c = conn.open(db);
        } catch (SQLException e) {
            throw PgErrors.of(e, conn, db, "reading database '" + db + "'");
        }
        return export(conn, db, c);
    }

    /** Exports a snapshot on {@code c}, a connection to {@code db} with no transaction open; closes it on failure. */
    private static Exported export(PgConnection conn, String db, Connection c) {
        try {
            PgChecksums.fixSession(c);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_export_snapshot()")) {
                rs.next();
                return new Exported(db, c, rs.getString(1));
            }
        } catch (SQLException e) {
            new Exported(db, c, null).close();
            throw PgErrors.of(e, conn, db, "reading database '" + db + "'");
        }
    }

    /**
     * A database's pg_dump, running in its exported snapshot, with its output read ahead and scanned
     * ({@link DumpReadAhead}) and its tables being listed on the exporting connection. Closing it kills
     * pg_dump if it still runs, stops the read-ahead, and ends the transaction; it may be closed twice.
     */
    private record RunningDump(Exported exported, ChildProcess.Running process, DumpReadAhead ahead,
            ExecutorService measuring, Future<List<PostgresManifest.TableStats>> tables) implements AutoCloseable {
        @Override
        public void close() {
            process.close();
            ahead.close();
            measuring.shutdownNow();
            exported.close();
        }
    }

    /**
     * Starts pg_dump in {@code exported}'s snapshot and, on the same connection, the listing of its
     * tables (names and dependent objects, catalog reads only). If pg_dump fails, closing the
     * connection (the {@link RunningDump}) ends the listing. On failure {@code exported} is closed.
     */
    private static RunningDump startDump(PgConnection conn, PgTools tools, boolean buffered, Exported exported,
            int readAheadBlocks) {
        ExecutorService measuring = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lifeboat-pg-tables");
            t.setDaemon(true);
            return t;
        });
        try {
            Connection c = exported.connection();
            Future<List<PostgresManifest.TableStats>> tables = measuring.submit(() -> listTables(c));
            ChildProcess.Running process = ChildProcess.startReading(
                tools.dumpCommand(exported.db(), exported.snapshotId(), buffered), dumpEnvironment(conn), "pg_dump");
            return new RunningDump(exported, process, new DumpReadAhead(process.stdout(), readAheadBlocks),
                measuring, tables);
        } catch (RuntimeException | Error e) {
            measuring.shutdownNow();
            exported.close();
            throw e;
        }
    }

    /**
     * Stores the running dump's archive, then joins pg_dump's exit, the archive scan and the listing
     * into the database's counts and checksums, and ends the snapshot's transaction.
     */
    private DumpedDatabase finishDump(RunningDump running, ContentWriter writer, ProgressListener progress) {
        String db = running.exported().db();
        Connection c = running.exported().connection();
        try {
            ContentWriter.Stored stored;
            try {
                stored = writeArchive(writer, running.ahead().stream(), progress);
            } catch (IOException e) {
                throw running.process().readFailed(e);
            }
            ScanOutcome scan = ScanOutcome.of(running.ahead());
            ChildProcess.Outcome<Void> out = running.process().finish(null);
            // A failed listing aborts the exporting transaction, so pg_dump may fail too; the
            // listing's error (a missing permission, say) is the one that explains it.
            List<PostgresManifest.TableStats> listed = awaitMeasured(running.tables());
            if (!out.ok()) {
                throw failed(PgErrors.ofTool("pg_dump", out.exitCode(), out.stderr(), conn, db));
            }
            DumpedDatabase d = measured(c, db, stored, listed, scan);
            c.commit();
            return d;
        } catch (SQLException e) {
            throw PgErrors.of(e, conn, db, "reading database '" + db + "'");
        }
    }

    /** The archive scan's result, or why there is none. */
    private record ScanOutcome(PgCustomArchiveScanner.Result result, String failure) {
        static ScanOutcome of(DumpReadAhead ahead) {
            try {
                return new ScanOutcome(ahead.result(), null);
            } catch (IOException e) {
                return new ScanOutcome(null, e.getMessage());
            }
        }
    }

    /**
     * Joins the listing with the archive scan; falls back to SQL checksums (in the snapshot, which
     * the still-open transaction keeps) when the scan failed, the archive is not UTF-8 (the restore
     * side reads over JDBC, which is always UTF-8), or a listed table has no data block.
     */
    private DumpedDatabase measured(Connection c, String db, ContentWriter.Stored stored,
            List<PostgresManifest.TableStats> listed, ScanOutcome scan) throws SQLException {
        String why = null;
        if (scan == null || scan.failure() != null) {
            why = "the archive could not be scanned (" + (scan == null ? "no scan" : scan.failure()) + ")";
        } else if (UTF8.equalsIgnoreCase(scan.result().encoding())) {
            List<PostgresManifest.TableStats> out = new ArrayList<>();
            for (PostgresManifest.TableStats t : listed) {
                PgCustomArchiveScanner.TableData d = scan.result().table(t.schema(), t.table());
                if (d == null) {
                    why = "the archive holds no data for table " + t.qualified();
                    break;
                }
                out.add(new PostgresManifest.TableStats(t.schema(), t.table(), d.rows(), d.checksum(), t.dependents(),
                    d.copyColumns()));
            }
            if (why == null) {
                return new DumpedDatabase(stored, out, PgCopyLineHasher.ALGORITHM, null);
            }
        }
        // Not UTF-8 (documented): the SQL checksum, without a warning; otherwise warn why.
        String warning = why == null ? null : "database '" + db + "': " + why + "; checksummed with SQL ("
            + PgChecksums.ALGORITHM + ") in the same snapshot instead";
        List<PostgresManifest.TableStats> out = new ArrayList<>();
        for (PostgresManifest.TableStats t : listed) {
            PostgresManifest.TableStats stats = PgChecksums.of(c, t.schema(), t.table());
            out.add(new PostgresManifest.TableStats(t.schema(), t.table(), stats.rows(), stats.checksum(),
                t.dependents()));
        }
        return new DumpedDatabase(stored, out, PgChecksums.ALGORITHM, warning);
    }

    /**
     * pg_dump's environment: the connection's, plus session settings that make its COPY text
     * reproducible by the restore-side check (pg_dump itself fixes DateStyle, IntervalStyle,
     * extra_float_digits and row_security, but not these).
     */
    private static Map<String, String> dumpEnvironment(PgConnection conn) {
        Map<String, String> env = new LinkedHashMap<>(conn.childEnvironment());
        String own = System.getenv("PGOPTIONS");
        env.put("PGOPTIONS", (own == null || own.isBlank() ? "" : own + " ") + DUMP_OPTIONS);
        return env;
    }

    /** Startup options for pg_dump; the restore-side session sets the same ({@link PgChecksums#SESSION_SETTINGS}). */
    private static final String UTF8 = "UTF8";

    static final String DUMP_OPTIONS = "-c TimeZone=UTC -c bytea_output=hex";

    /**
     * Blocks of pg_dump's output ({@value DumpReadAhead#BLOCK} bytes each) held while the repository
     * side is not taking them: 64 MiB. The first database's dump starts before the repository is open,
     * and this is how far it gets ahead; within the 256 MiB heap the launcher gives the CLI.
     */
    static final int DUMP_READ_AHEAD_BLOCKS = 256;

    /**
     * Stores an archive as two runs of chunks: its first {@value #HEADER_BLOB} bytes, then the rest. The
     * archive header holds the time of the dump (pg_dump's custom format), so without the cut the whole
     * first chunk (up to the chunker's maximum, often the whole dump of a small database) would be new in
     * every backup; with it only this small head is, and the rest deduplicates against the last backup.
     */
    static ContentWriter.Stored writeArchive(ContentWriter writer, java.io.InputStream in, ProgressListener progress)
            throws IOException {
        ContentWriter.Stored head = writer.write(new java.io.ByteArrayInputStream(in.readNBytes(HEADER_BLOB)), progress);
        if (head.size() < HEADER_BLOB) {
            return head;
        }
        ContentWriter.Stored rest = writer.write(in, progress);
        List<BlobId> content = new ArrayList<>(head.content());
        content.addAll(rest.content());
        return new ContentWriter.Stored(content, head.size() + rest.size());
    }

    /** Every table with its dependent objects; counts and checksums are filled in later. */
    private static List<PostgresManifest.TableStats> listTables(Connection c) throws SQLException {
        List<PostgresManifest.TableStats> tables = new ArrayList<>();
        for (String[] t : PgChecksums.tables(c)) {
            tables.add(new PostgresManifest.TableStats(t[0], t[1], 0, null, PgChecksums.dependents(c, t[0], t[1])));
        }
        return tables;
    }

    private static List<PostgresManifest.TableStats> awaitMeasured(Future<List<PostgresManifest.TableStats>> f)
            throws SQLException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while measuring tables; nothing was committed");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException se) {
                throw se;
            }
            throw EngineException.propagate(cause, "measuring tables");
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // A connection that fails to close is gone anyway.
            }
        }
    }

    private static EngineException failed(EngineException e) {
        return new EngineException(e.getMessage() + "; nothing was committed");
    }

    private static List<String> allDatabases(Connection admin) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery("select datname from pg_database where not datistemplate and datallowconn "
                    + "order by datname")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<String> checkExist(PgConnection conn, Connection admin, List<String> wanted)
            throws SQLException {
        for (String db : wanted) {
            try (PreparedStatement ps = admin.prepareStatement("select 1 from pg_database where datname = ?")) {
                ps.setString(1, db);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new EngineException("database '" + db + "' does not exist on " + conn.host() + ":"
                            + conn.port() + "; nothing was committed");
                    }
                }
            }
        }
        return wanted;
    }

    private static TreeNode fileNode(String name, ContentWriter.Stored stored) {
        return TreeNode.builder(name, NodeType.FILE).mode(0600).mtimeNs(System.currentTimeMillis() * 1_000_000L)
            .size(stored.size()).content(stored.content()).build();
    }
}
