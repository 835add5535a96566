package io.lifeboat.common.engine.postgres.physical;

import io.lifeboat.common.engine.ChildProcess;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.SnapshotInspector;
import io.lifeboat.common.engine.postgres.PgConnection;
import io.lifeboat.common.engine.postgres.PgTools;
import io.lifeboat.common.engine.postgres.wal.Lsn;
import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalNames;
import io.lifeboat.common.engine.postgres.wal.WalSegmentRef;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.engine.TreeNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Point-in-time recovery of a cluster into a NEW data directory: extracts a base backup, configures
 * archive recovery ({@code recovery.signal}, {@code restore_command}, the {@link RecoveryTarget},
 * {@code recovery_target_action = promote}), starts the server on its own port, waits until it has
 * promoted, and proves from the server's own log that it stopped where asked. Then, optionally,
 * {@code pg_amcheck} checks every database.
 *
 * <p>Safety: the data directory must not exist or be empty, so a running cluster's directory is never
 * touched. The restored server gets {@code archive_mode = off}: left on, it would archive its new
 * timeline into the origin's WAL archive. The settings are appended to {@code postgresql.auto.conf}
 * under a comment naming the restore; remove them to return to the backup's own configuration.
 *
 * <p>Not thread-safe; one instance runs one restore.
 */
public final class PointInTimeRestore {
    private static final Pattern STOP = Pattern.compile("recovery stopping (before|after|at) ([^\\n]*)");
    private static final Pattern REDO_DONE = Pattern.compile("redo done at ([0-9A-F]+/[0-9A-F]+)");
    private static final Pattern LAST_TX = Pattern.compile("last completed transaction was at log time ([^\\n]+)");
    private static final Pattern NEW_TLI = Pattern.compile("selected new timeline ID: (\\d+)");
    private static final Pattern NOT_REACHED = Pattern.compile("FATAL:\\s+(recovery ended before configured recovery target was reached[^\\n]*)");

    /**
     * One restore.
     *
     * @param cluster the WAL archive to recover from
     * @param snapshot a base backup snapshot id or prefix, or null to choose the newest one usable for the target
     * @param target where recovery stops
     * @param dataDir the new data directory (absent or empty)
     * @param port the port the restored server listens on
     * @param listenAddresses its {@code listen_addresses}
     * @param osUser the operating-system user to run the server as, or null for the current user
     * @param restoreCommand PostgreSQL's {@code restore_command} ({@code lifeboat ... wal-fetch %f %p})
     * @param serverEnv extra environment for the server (where {@code restore_command} finds the repository)
     * @param amcheck run {@code pg_amcheck --all} on the result
     * @param timeout how long recovery may take
     * @param stopAfter stop the server once proven (scratch restores)
     */
    public record Request(String cluster, String snapshot, RecoveryTarget target, Path dataDir, int port, String listenAddresses,
            String osUser, String restoreCommand, Map<String, String> serverEnv, boolean amcheck, Duration timeout, boolean stopAfter) {
    }

    /**
     * What happened.
     *
     * @param snapshot the base backup used
     * @param baseBackupFinished when that base backup finished
     * @param dataDir where the cluster now is
     * @param port its port
     * @param target the target, described
     * @param reached true when the server's log proves recovery stopped at the target (for latest: at the archive's end)
     * @param stopLine PostgreSQL's "recovery stopping ..." line, or null
     * @param redoDoneAt the last replayed position
     * @param lastTransactionTime commit time of the last replayed transaction, as PostgreSQL logged it, or null
     * @param archiveEnd the newest segment the archive held, or null
     * @param timeline the timeline the promoted cluster runs on
     * @param amcheck pg_amcheck's verdict: null when skipped, else "ok" or its last lines
     * @param rtoSeconds seconds from the command's start to the cluster accepting writes
     * @param phases where those seconds went, in order: phase name to seconds (the command's own phases, such
     *     as {@code jvm} and {@code open}, then {@code start}: the rest up to the restore; {@code prove} and
     *     {@code amcheck} follow the RTO)
     */
    public record Report(String snapshot, Instant baseBackupFinished, Path dataDir, int port, String target, boolean reached,
            String stopLine, String redoDoneAt, String lastTransactionTime, String archiveEnd, int timeline, String amcheck,
            double rtoSeconds, Map<String, Double> phases) {
        public boolean amcheckOk() {
            return amcheck == null || "ok".equals(amcheck);
        }
    }

    private final PgTools tools;
    private final PgConnection login;

    /** @param login the role (and password) to connect to the restored server with; host and port are replaced */
    public PointInTimeRestore(PgTools tools, PgConnection login) {
        this.tools = tools;
        this.login = login;
    }

    /** Chooses the base backup: the given one, else the newest that finished before the target. */
    public static BaseBackupInfo choose(Repository repo, String cluster, String snapshot, RecoveryTarget target) {
        if (snapshot != null) {
            Snapshot s = repo.snapshot(snapshot);
            if (!PostgresBaseBackupSource.SOURCE_TYPE.equals(s.sourceType())) {
                throw new EngineException("snapshot " + s.id().shortHex() + " is a " + s.sourceType() + " snapshot, not a base backup");
            }
            return BaseBackupInfo.of(s);
        }
        List<BaseBackupInfo> all = BaseBackupInfo.list(repo, cluster);
        if (all.isEmpty()) {
            throw new EngineException("no base backup of cluster '" + cluster + "' in the repository (take one with backup-postgres-base)");
        }
        List<BaseBackupInfo> usable = all.stream().filter(b -> switch (target) {
            case RecoveryTarget.Time t -> b.finished().isBefore(t.time());
            case RecoveryTarget.AtLsn l -> b.stopLsn().compareTo(l.lsn()) <= 0;
            default -> true;
        }).toList();
        if (usable.isEmpty()) {
            throw new EngineException("no base backup of cluster '" + cluster + "' ends before " + target.describe()
                + "; the earliest recoverable point is the end of the oldest one, " + all.get(0).finished() + " (" + all.get(0).stopLsn() + ")");
        }
        return usable.get(usable.size() - 1);
    }

    public Report restore(Repository repo, Request req, Instant commandStarted) {
        return restore(repo, req, commandStarted, Map.of());
    }

    /**
     * One restore, with what happened before it in the command: {@code before} maps phase names to the
     * instants they ended, in order (e.g. {@code jvm}, {@code open}); the rest up to this call is {@code start}.
     */
    public Report restore(Repository repo, Request req, Instant commandStarted, Map<String, Instant> before) {
        Phases phases = new Phases(commandStarted);
        before.forEach(phases::endAt);
        phases.end("start");
        BaseBackupInfo base = choose(repo, req.cluster(), req.snapshot(), req.target());
        Path dir = req.dataDir().toAbsolutePath().normalize();
        prepareDirectory(dir);
        PgServer server = new PgServer(tools, dir, req.osUser(), req.serverEnv());
        phases.end("choose");
        WalArchive archive = WalArchive.open(repo, req.cluster(), base.segmentSize());
        // What the archive holds when the restore starts is the end "latest" must reach; listing it meanwhile keeps
        // the listing off the time to accepting writes.
        java.util.concurrent.CompletableFuture<List<WalSegmentRef>> heldAtStart =
            java.util.concurrent.CompletableFuture.supplyAsync(archive::list, daemonExecutor("lifeboat-restore-list"));
        extract(repo, base, server, req.osUser());
        phases.end("extract");
        boolean synced = syncfs(dir);
        phases.end("sync");
        PgConnection conn = new PgConnection("127.0.0.1", req.port(), login.user(), "postgres", passwordOf(login));
        double rto;
        // The running restore serves the WAL (no JVM per file); afterwards the script falls back to wal-fetch.
        String fallback = req.restoreCommand().replace("%f", "\"$1\"").replace("%p", "\"$2\"");
        try (WalSpoolServer spool = WalSpoolServer.start(archive, dir, fallback, req.osUser())) {
            configure(server, base, req, spool.restoreCommand(), synced && majorVersion(dir) >= 14);
            phases.end("configure");
            // pg_ctl -w looks only every 100 ms whether the server is up; polling for the promotion meanwhile
            // sees it as soon as it happens. pg_ctl's verdict still decides whether the start failed.
            java.util.concurrent.CompletableFuture<Void> starting = java.util.concurrent.CompletableFuture.runAsync(
                () -> server.start(req.timeout()), daemonExecutor("lifeboat-restore-start"));
            awaitPromotion(server, starting, conn, req.timeout(), () -> phases.end("server-start"));
            phases.end("recovery");
            rto = Duration.between(commandStarted, Instant.now()).toMillis() / 1000.0;
            join(starting);
        }
        String log = server.log();
        String stop = find(STOP, log, 0);
        String redo = find(REDO_DONE, log, 1);
        String lastTx = find(LAST_TX, log, 1);
        String tli = find(NEW_TLI, log, 1);
        String archiveEnd = null;
        List<WalSegmentRef> held = join(heldAtStart);
        if (!held.isEmpty()) {
            archiveEnd = held.stream().max((a, b) -> Long.compare(WalNames.segmentNumber(a.segment(), base.segmentSize()),
                WalNames.segmentNumber(b.segment(), base.segmentSize()))).map(WalSegmentRef::fileName).orElse(null);
        }
        boolean reached = reached(req.target(), stop, redo, lastTx, archiveEnd, base.segmentSize());
        phases.end("prove");
        String amcheck = null;
        if (req.amcheck()) {
            amcheck = amcheck(conn);
            phases.end("amcheck");
        }
        if (req.stopAfter()) {
            server.stop();
        }
        return new Report(base.snapshot().id().hex(), base.finished(), dir, req.port(), req.target().describe(), reached,
            stop == null ? null : stop.strip(), redo, lastTx == null ? null : lastTx.strip(), archiveEnd,
            tli == null ? base.timeline() : Integer.parseInt(tli), amcheck, rto, phases.seconds());
    }

    private static java.util.concurrent.Executor daemonExecutor(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.start();
        };
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new EngineException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Seconds per phase, each from the end of the one before. */
    private static final class Phases {
        private final Map<String, Double> seconds = new java.util.LinkedHashMap<>();
        private Instant last;

        Phases(Instant start) {
            this.last = start;
        }

        void end(String name) {
            endAt(name, Instant.now());
        }

        void endAt(String name, Instant at) {
            seconds.put(name, Duration.between(last, at).toMillis() / 1000.0);
            last = at;
        }

        Map<String, Double> seconds() {
            return java.util.Collections.unmodifiableMap(seconds);
        }
    }

    static boolean reached(RecoveryTarget target, String stop, String redo, String lastTx, String archiveEnd, long segmentSize) {
        return switch (target) {
            case RecoveryTarget.Latest l -> redo != null && (archiveEnd == null
                || Lsn.parse(redo).segmentNumber(segmentSize) >= WalNames.segmentNumber(WalNames.segmentOf(archiveEnd), segmentSize));
            case RecoveryTarget.Time t -> stop != null && stop.contains("commit of transaction")
                && (lastTx == null || parseLogTime(lastTx).map(x -> !x.isAfter(t.time())).orElse(true));
            case RecoveryTarget.AtLsn a -> stop != null && stop.contains("WAL location (LSN) \"" + a.lsn() + "\"");
            case RecoveryTarget.Xid x -> stop != null && stop.contains("transaction " + x.xid());
            case RecoveryTarget.Name n -> stop != null && stop.contains("restore point \"" + n.name() + "\"");
        };
    }

    /** Parses PostgreSQL's {@code 2026-11-23 04:40:01.123456+00} (any offset). */
    static Optional<Instant> parseLogTime(String s) {
        String v = s.strip().replace(' ', 'T');
        Matcher m = Pattern.compile("([+-]\\d\\d)(:?\\d\\d)?$").matcher(v);
        if (m.find() && m.group(2) == null) {
            v = v + ":00";
        }
        try {
            return Optional.of(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static void prepareDirectory(Path dir) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new EngineException(dir + " exists and is not a directory; restore into a new, empty directory");
                }
                if (Files.exists(dir.resolve("postmaster.pid")) || Files.exists(dir.resolve("PG_VERSION"))) {
                    throw new EngineException(dir + " holds a PostgreSQL data directory; restore-pitr never touches an existing "
                        + "cluster: give a new, empty directory");
                }
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new EngineException(dir + " is not empty; restore into a new, empty directory");
                    }
                }
            } else {
                Files.createDirectories(dir);
            }
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new EngineException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Blobs loaded (fetched, decrypted, verified, decompressed) ahead of the one being extracted (system
     * property {@code lifeboat.restore.read-ahead}): this many base-backup blobs (up to 8 MiB each) at most
     * are loading or loaded besides the one being extracted.
     */
    static final int READ_AHEAD = Math.max(1, Integer.getInteger("lifeboat.restore.read-ahead", 8));

    /** Loader threads of that read-ahead ({@link BlobReadAhead}; system property {@code lifeboat.restore.loaders}). */
    static final int LOADERS = Math.max(1, Integer.getInteger("lifeboat.restore.loaders", 3));

    /**
     * Threads writing the extracted files besides the one feeding the extractor (system property
     * {@code lifeboat.restore.writers}). 0 by default: on the 2-core bench machine the loaders and the
     * feeding thread already keep both cores busy, and writer threads cost CPU and memory without a
     * measurable gain (docs/benchmarks.md); more may pay where cores are plentiful.
     */
    static final int WRITERS = Integer.getInteger("lifeboat.restore.writers", 0);

    /**
     * Streams the base backup's tar into the data directory in process ({@link BaseTarExtractor}): loader
     * threads fetch, decrypt, verify and decompress the blobs ahead while this thread writes the files, so
     * both cores work and no byte passes through a pipe. The directory stays this process's own (mode 0700)
     * until every entry is written and given to the server's user, so no other user can slip a link into it.
     */
    private void extract(Repository repo, BaseBackupInfo base, PgServer server, String osUser) {
        TreeNode node = new SnapshotInspector(repo).find(base.snapshot(), PostgresBaseBackupSource.FILE)
            .filter(TreeNode::isFile)
            .orElseThrow(() -> new EngineException("snapshot " + base.snapshot().id().shortHex() + " holds no " + PostgresBaseBackupSource.FILE));
        Path dir = server.dataDir();
        java.nio.file.attribute.UserPrincipal owner = null;
        java.nio.file.attribute.GroupPrincipal group = null;
        if (osUser != null && !osUser.equals(System.getProperty("user.name"))) {
            owner = userPrincipal(osUser);
            group = loginGroup(osUser);
            // Until it is given away at the end, the (possibly pre-existing) directory is this process's alone.
            try {
                Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    .setOwner(userPrincipal(System.getProperty("user.name")));
            } catch (IOException e) {
                throw new EngineException("cannot take " + dir + " over for the extraction: " + e.getMessage(), e);
            }
        }
        try (BlobReadAhead blobs = new BlobReadAhead(node.content(), repo::loadBlob, READ_AHEAD, LOADERS, "lifeboat-restore-read");
             BaseTarExtractor tar = new BaseTarExtractor(dir, owner, group, WRITERS)) {
            for (byte[] blob = blobs.next(); blob != null; blob = blobs.next()) {
                tar.feed(blob, 0, blob.length);
            }
            tar.finish();
            if (owner != null) {
                java.nio.file.attribute.PosixFileAttributeView v = Files.getFileAttributeView(dir,
                    java.nio.file.attribute.PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                v.setOwner(owner);
                v.setGroup(group);
            }
        } catch (IOException e) {
            throw new EngineException("extracting the base backup into " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private static java.nio.file.attribute.UserPrincipal userPrincipal(String user) {
        try {
            return dirFileSystem().lookupPrincipalByName(user);
        } catch (IOException e) {
            throw new EngineException("no operating-system user '" + user + "' to run the restored server as: " + e.getMessage(), e);
        }
    }

    /** The user's login group, as {@code chown user:} gives (Java has no lookup of it). */
    private static java.nio.file.attribute.GroupPrincipal loginGroup(String user) {
        ChildProcess.Outcome<String> out = ChildProcess.readStdout(List.of("id", "-gn", user), Map.of(),
            in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        if (!out.ok() || out.value().isBlank()) {
            throw new EngineException("cannot find the login group of user '" + user + "': " + out.stderr().strip());
        }
        try {
            return dirFileSystem().lookupPrincipalByGroupName(out.value().strip());
        } catch (IOException e) {
            throw new EngineException("cannot find group '" + out.value().strip() + "' of user '" + user + "': " + e.getMessage(), e);
        }
    }

    private static java.nio.file.attribute.UserPrincipalLookupService dirFileSystem() {
        return java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService();
    }

    /**
     * Flushes the extracted directory with one {@code syncfs(2)} ({@code sync -f}, coreutils 8.24+) instead of
     * the fsync per file PostgreSQL otherwise does at start: a base backup has over a thousand files, and a
     * fsync of each costs milliseconds even when nothing is dirty. False when {@code sync -f} failed, so the
     * server keeps its own per-file pass.
     */
    static boolean syncfs(Path dir) {
        try {
            return ChildProcess.readStdout(List.of("sync", "-f", dir.toString()), Map.of(), in -> in.readAllBytes()).ok();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The major version in the data directory's {@code PG_VERSION}, or 0 when unreadable. */
    static int majorVersion(Path dir) {
        try {
            return Integer.parseInt(Files.readString(dir.resolve("PG_VERSION"), StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private void configure(PgServer server, BaseBackupInfo base, Request req, String restoreCommand, boolean synced) {
        Path dir = server.dataDir();
        StringBuilder conf = new StringBuilder("\n# Added by lifeboat restore-pitr at " + Instant.now() + ": recovery of base backup "
            + base.snapshot().id().shortHex() + " of cluster " + req.cluster() + " to " + req.target().describe() + "\n");
        conf.append(setting("restore_command", restoreCommand));
        req.target().settings().forEach((k, v) -> conf.append(setting(k, v)));
        if (!(req.target() instanceof RecoveryTarget.Latest)) {
            conf.append(setting("recovery_target_action", "promote"));
        }
        conf.append(setting("recovery_target_timeline", "latest"));
        conf.append(setting("port", Integer.toString(req.port())));
        conf.append(setting("listen_addresses", req.listenAddresses()));
        conf.append(setting("unix_socket_directories", dir.toString()));
        conf.append(setting("logging_collector", "off"));
        conf.append(setting("archive_mode", "off"));
        if (synced) {
            // The directory was just flushed with syncfs: the start-up sync of a crashed cluster (a base backup
            // looks like one) then costs one syncfs per file system instead of a fsync per file.
            conf.append(setting("recovery_init_sync_method", "syncfs"));
        }
        try {
            Files.deleteIfExists(dir.resolve("standby.signal"));
            Path auto = dir.resolve("postgresql.auto.conf");
            Files.writeString(auto, conf, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Path signal = dir.resolve("recovery.signal");
            Files.write(signal, new byte[0]);
            if (req.osUser() != null) {
                // The extraction gave the directory to the server's user and login group; these files follow it.
                java.nio.file.attribute.PosixFileAttributes a = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
                for (Path p : List.of(auto, signal)) {
                    java.nio.file.attribute.PosixFileAttributeView v = Files.getFileAttributeView(p,
                        java.nio.file.attribute.PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    v.setOwner(a.owner());
                    v.setGroup(a.group());
                }
            }
        } catch (IOException e) {
            throw new EngineException("cannot write the recovery settings into " + dir + ": " + e.getMessage(), e);
        }
    }

    static String setting(String name, String value) {
        return name + " = '" + value.replace("'", "''") + "'\n";
    }

    /**
     * Waits until the server accepts writes, from the moment {@code starting} ({@code pg_ctl start -w})
     * began: while pg_ctl waits, the lock file is read every 20 ms and the first connection made as soon as
     * it says the server is up ({@link PgServer#acceptsConnections}); {@code up} runs then. A failed start
     * is pg_ctl's to report.
     */
    private static void awaitPromotion(PgServer server, java.util.concurrent.CompletableFuture<Void> starting, PgConnection conn,
            Duration timeout, Runnable up) {
        Instant deadline = Instant.now().plus(timeout);
        String lastError = null;
        boolean connected = false;
        while (Instant.now().isBefore(deadline)) {
            if (!starting.isDone() && !connected && !server.acceptsConnections()) {
                sleep(20);
                continue;
            }
            try (Connection c = conn.open("postgres"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
                if (!connected) {
                    connected = true;
                    up.run();
                }
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            } catch (SQLException e) {
                lastError = e.getMessage();
                if (starting.isDone()) {
                    join(starting);
                    if (!server.running()) {
                        Matcher m = NOT_REACHED.matcher(server.log());
                        throw new EngineException(m.find() ? "PostgreSQL: " + m.group(1) + " (the WAL archive ends before the target)"
                            : "the restored server stopped during recovery: " + server.logTail(5));
                    }
                }
            }
            sleep(50);
        }
        if (!starting.isDone()) {
            join(starting);
        }
        server.stop();
        throw new EngineException("recovery did not finish within " + timeout.toSeconds() + " s"
            + (lastError == null ? "" : " (last error: " + lastError + ")") + "; the server was stopped; see " + server.logFile());
    }

    private String amcheck(PgConnection conn) {
        ChildProcess.Outcome<String> out = ChildProcess.readStdout(List.of(tools.tool("pg_amcheck"), "--host=127.0.0.1",
            "--port=" + conn.port(), "--username=" + conn.user(), "--no-password", "--all", "--install-missing", "--maintenance-db=postgres"),
            conn.childEnvironment(), in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        if (out.ok() && out.value().isBlank()) {
            return "ok";
        }
        List<String> lines = new ArrayList<>((out.value() + "\n" + out.stderr()).strip().lines().toList());
        return "failed (exit " + out.exitCode() + "): " + String.join(" / ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    private static String find(Pattern p, String text, int group) {
        Matcher m = p.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(group);
        }
        return last;
    }

    private static String passwordOf(PgConnection c) {
        String pw = c.childEnvironment().get("PGPASSWORD");
        return pw;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while waiting for recovery");
        }
    }
}
