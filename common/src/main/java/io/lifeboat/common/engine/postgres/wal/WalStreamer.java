package io.lifeboat.common.engine.postgres.wal;

import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.postgres.PgConnection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Continuous WAL archiving: runs {@code pg_receivewal} on a replication slot into a local spool
 * directory and moves what it writes into a {@link WalSink}.
 *
 * <ul>
 *   <li>Completed segments and timeline history files are uploaded as soon as a poll of the spool
 *       sees them (every {@link WalStreamerOptions#pollInterval}) and deleted locally once the upload
 *       returned, so a crash at any point leaves them in the spool for the next run.
 *   <li>The segment being written ({@code .partial}) is uploaded whenever it changed and
 *       {@link WalStreamerOptions#partialInterval} passed, and at once when pg_receivewal stops, so
 *       the recovery point does not wait for 16 MiB of WAL. A {@code .partial} left behind by a
 *       timeline switch is uploaded and removed.
 *   <li>On start, whatever an earlier run left in the spool is uploaded first; pg_receivewal then
 *       resumes from the newest file in the spool, else from the slot's {@code restart_lsn}. The slot
 *       advances only as far as pg_receivewal flushed into the spool, so nothing is skipped.
 *   <li>When pg_receivewal exits (server restart, network, timeline switch) it is started again,
 *       after a short back-off, until {@link #stop} is called.
 *   <li>Exactly one streamer per cluster: a {@link StreamerLock} on a dedicated session, taken before
 *       anything else; a second streamer gets {@link StreamerLockedException}.
 * </ul>
 *
 * <p>Threading: {@link #run} blocks the calling thread until {@link #stop} (from any thread) or until
 * that thread is interrupted, which stops it the same way.
 */
public final class WalStreamer {

    /** What the streamer tells its operator. Called on the streamer's thread. */
    public interface Listener {
        /** A status, each {@link WalStreamerOptions#statusInterval}. */
        default void status(StreamerStatus status) {
        }

        /** A file went into the archive. */
        default void uploaded(String fileName, int bytes, boolean partial) {
        }

        /** Something the operator should know (one line). */
        default void warning(String message) {
        }

        /** Progress worth a line (slot created, pg_receivewal started). */
        default void info(String message) {
        }
    }

    private static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);
    private static final int MAX_SAMPLES = 4096;

    private final PgConnection pg;
    private final WalStreamerOptions options;
    private final WalSink sink;
    private final Listener listener;
    private final Clock clock;

    private volatile boolean stopping;
    private final Object sleeper = new Object();
    private StreamerLock lock;
    private Process receiver;
    private final Deque<String> receiverOutput = new ArrayDeque<>();

    private long segmentSize = 16L * 1024 * 1024;
    private int timeline;
    private long archivedLsn;
    private String partialName;
    private FileTime partialModified;
    private int partialValid = -1;
    private Instant lastPartialUpload = Instant.EPOCH;
    private Instant lastStatus = Instant.EPOCH;
    private Instant lastSample = Instant.EPOCH;
    /** (server WAL insert position, server time in epoch millis), oldest first. */
    private final Deque<long[]> samples = new ArrayDeque<>();
    private long serverFlushLsn = -1;
    private long slotRetained = -1;
    private String slotWalStatus = "";
    private boolean reachable;

    public WalStreamer(PgConnection pg, WalStreamerOptions options, WalSink sink, Listener listener) {
        this(pg, options, sink, listener, Clock.systemUTC());
    }

    WalStreamer(PgConnection pg, WalStreamerOptions options, WalSink sink, Listener listener, Clock clock) {
        this.pg = pg;
        this.options = options;
        this.sink = sink;
        this.listener = listener == null ? new Listener() { } : listener;
        this.clock = clock;
    }

    /**
     * Streams until {@link #stop}. Setup failures before streaming began (lock, configuration, slot)
     * are thrown; once streaming, failures are reported to the listener and retried.
     *
     * @throws StreamerLockedException if another streamer holds the cluster
     * @throws EngineException if the server cannot be used for archiving
     */
    public void run() {
        try {
            Files.createDirectories(options.spoolDir());
        } catch (IOException e) {
            throw new EngineException("cannot create the spool directory " + options.spoolDir() + ": " + e.getMessage());
        }
        connect(true);
        drainSpool(true);
        Duration backoff = Duration.ofSeconds(1);
        try {
            while (!stopping) {
                if (lock == null || !lock.alive(5)) {
                    closeLock();
                    try {
                        connect(false);
                    } catch (StreamerLockedException e) {
                        throw e;
                    } catch (EngineException e) {
                        reachable = false;
                        listener.warning("cannot reach the server, retrying: " + e.getMessage());
                        idle(backoff);
                        backoff = next(backoff);
                        continue;
                    }
                }
                Instant started = clock.instant();
                startReceiver();
                while (!stopping && receiver.isAlive()) {
                    tick(false);
                    if (!reachable && !lock.alive(2)) {
                        // The lock's session is gone, so another streamer may take the cluster: stop receiving
                        // until the lock is ours again.
                        listener.warning("lost the session holding the streamer lock; stopping pg_receivewal until it is retaken");
                        break;
                    }
                    sleep(options.pollInterval());
                }
                int code = stopReceiver();
                drainSpool(true);
                if (!stopping) {
                    listener.warning("pg_receivewal exited with code " + code + lastReceiverLine() + "; restarting");
                    if (Duration.between(started, clock.instant()).compareTo(Duration.ofSeconds(30)) > 0) {
                        backoff = Duration.ofSeconds(1);
                    }
                    idle(backoff);
                    backoff = next(backoff);
                }
            }
        } finally {
            stopReceiver();
            drainSpool(true);
            writeStatus();
            closeLock();
        }
    }

    /** Asks {@link #run} to stop: pg_receivewal is stopped, the spool uploaded, the lock released. */
    public void stop() {
        stopping = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }

    // ---- setup

    private void connect(boolean first) {
        Connection c;
        try {
            c = pg.open(pg.database());
        } catch (SQLException e) {
            throw new EngineException("cannot connect to PostgreSQL at " + pg + ": " + e.getMessage(), e);
        }
        try {
            lock = StreamerLock.acquire(c, options.streamerId());
        } catch (SQLException e) {
            close(c);
            throw new EngineException("cannot take the streamer lock on " + pg + ": " + e.getMessage(), e);
        }
        try {
            Connection l = lock.connection();
            segmentSize = queryLong(l, "SELECT pg_size_bytes(current_setting('wal_segment_size'))");
            sink.segmentSize(segmentSize);
            if (first) {
                checkSettings(l);
            }
            ensureSlot(l, first);
            reachable = true;
        } catch (SQLException e) {
            closeLock();
            throw new EngineException("PostgreSQL error while preparing WAL streaming on " + pg + ": " + e.getMessage(), e);
        }
    }

    private void checkSettings(Connection c) throws SQLException {
        String walLevel = queryString(c, "SELECT current_setting('wal_level')");
        if ("minimal".equals(walLevel)) {
            throw new EngineException("wal_level is minimal on " + pg + "; WAL archiving needs wal_level = replica "
                + "(or logical) and a restart of the server");
        }
        String keep = queryString(c, "SELECT current_setting('max_slot_wal_keep_size')");
        if ("-1".equals(keep)) {
            listener.warning("max_slot_wal_keep_size is unset (-1): if this streamer stops, the slot keeps WAL "
                + "until the server's disk is full; set it (docs/postgresql.md)");
        }
        if (options.synchronous()) {
            String names = queryString(c, "SELECT current_setting('synchronous_standby_names')");
            if (!SyncStandbyNames.names(names, options.applicationName())) {
                listener.warning("--synchronous, but synchronous_standby_names ('" + names + "') does not name '"
                    + options.applicationName() + "': commits will not wait for the archive");
            }
        }
    }

    private void ensureSlot(Connection c, boolean first) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT slot_type, active, active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, options.slot());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    try (PreparedStatement create = c.prepareStatement(
                            "SELECT pg_create_physical_replication_slot(?, true)")) {
                        create.setString(1, options.slot());
                        create.execute();
                    }
                    listener.info("created replication slot " + options.slot());
                    return;
                }
                if (!"physical".equals(rs.getString(1))) {
                    throw new EngineException("replication slot " + options.slot() + " is a " + rs.getString(1)
                        + " slot; WAL streaming needs a physical one (choose another --slot)");
                }
                if (rs.getBoolean(2)) {
                    // We hold the cluster's streamer lock, so the receiver on the slot is an orphan of a
                    // streamer that died without stopping its pg_receivewal.
                    int pid = rs.getInt(3);
                    listener.warning("replication slot " + options.slot() + " is in use by server process " + pid
                        + " (a receiver left by an earlier streamer); ending it");
                    try (PreparedStatement kill = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                        kill.setInt(1, pid);
                        kill.execute();
                    } catch (SQLException e) {
                        listener.warning("cannot end server process " + pid + ": " + e.getMessage());
                    }
                }
            }
        }
        if (first) {
            listener.info("streaming from replication slot " + options.slot());
        }
    }

    // ---- pg_receivewal

    List<String> receiverCommand() {
        List<String> c = new ArrayList<>(List.of(options.tool("pg_receivewal"), "--directory=" + options.spoolDir(),
            "--slot=" + options.slot(), "--no-loop", "--no-password", "--verbose"));
        if (options.synchronous()) {
            c.add("--synchronous");
        }
        return c;
    }

    private void startReceiver() {
        ProcessBuilder b = new ProcessBuilder(receiverCommand()).redirectErrorStream(true);
        Map<String, String> env = b.environment();
        env.putAll(pg.childEnvironment());
        env.put("PGAPPNAME", options.applicationName());
        try {
            receiver = b.start();
        } catch (IOException e) {
            throw new EngineException("cannot run pg_receivewal (" + options.tool("pg_receivewal")
                + "); install the PostgreSQL client tools or point --pg-bin/LIFEBOAT_PG_BIN at them: " + e.getMessage());
        }
        try {
            receiver.getOutputStream().close();
        } catch (IOException ignored) {
            // pg_receivewal reads nothing
        }
        Process p = receiver;
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (receiverOutput) {
                        receiverOutput.addLast(line);
                        if (receiverOutput.size() > 50) {
                            receiverOutput.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "pg_receivewal-output");
        drain.setDaemon(true);
        drain.start();
        listener.info("pg_receivewal started (slot " + options.slot() + (options.synchronous() ? ", synchronous" : "")
            + ")");
    }

    private int stopReceiver() {
        Process p = receiver;
        if (p == null) {
            return 0;
        }
        receiver = null;
        try {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            return p.isAlive() ? -1 : p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            stopping = true;
            return -1;
        }
    }

    private String lastReceiverLine() {
        synchronized (receiverOutput) {
            return receiverOutput.isEmpty() ? "" : ": " + receiverOutput.peekLast();
        }
    }

    // ---- spool

    private void tick(boolean forcePartial) {
        drainSpool(forcePartial);
        sampleServer();
        if (!clock.instant().isBefore(lastStatus.plus(options.statusInterval()))) {
            writeStatus();
        }
    }

    /** Uploads completed files, old partials and (when due or forced) the current partial. */
    void drainSpool(boolean forcePartial) {
        List<WalSpoolFile> files = scan();
        List<WalSpoolFile> partials = new ArrayList<>();
        for (WalSpoolFile f : files) {
            if (f.kind() == WalSpoolFile.Kind.PARTIAL) {
                partials.add(f);
                continue;
            }
            Path path = options.spoolDir().resolve(f.name());
            try {
                byte[] data = Files.readAllBytes(path);
                sink.putSegment(f.name(), data);
                Files.deleteIfExists(path);
                if (f.kind() == WalSpoolFile.Kind.SEGMENT) {
                    advance(f.timeline(), f.startLsn(segmentSize) + segmentSize);
                } else {
                    timeline = Math.max(timeline, f.timeline());
                }
                listener.uploaded(f.name(), data.length, false);
            } catch (NoSuchFileException e) {
                // renamed or removed between the listing and the read; the next poll sees it
            } catch (IOException | RuntimeException e) {
                if (!interruptedStop()) {
                    listener.warning("cannot archive " + f.name() + " (kept in the spool, retrying): " + e.getMessage());
                }
                return;
            }
        }
        for (int i = 0; i < partials.size(); i++) {
            boolean newest = i == partials.size() - 1;
            uploadPartial(partials.get(i), forcePartial || !newest, !newest);
        }
    }

    private void uploadPartial(WalSpoolFile f, boolean force, boolean removeAfter) {
        Instant now = clock.instant();
        if (!force && now.isBefore(lastPartialUpload.plus(options.partialInterval()))) {
            return;
        }
        Path path = options.spoolDir().resolve(f.name());
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            byte[] data = Files.readAllBytes(path);
            int valid = PartialSegments.validBytes(data, data.length);
            boolean unchanged = f.name().equals(partialName) && modified.equals(partialModified) && valid == partialValid;
            if (!unchanged && valid > 0) {
                sink.putPartial(f.segmentName(), data, valid);
                listener.uploaded(f.name(), valid, true);
                if (data.length == segmentSize) {
                    advance(f.timeline(), f.startLsn(segmentSize) + valid);
                }
            }
            partialName = f.name();
            partialModified = modified;
            partialValid = valid;
            lastPartialUpload = now;
            if (removeAfter) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException e) {
            // completed and renamed meanwhile; the next poll uploads the segment
        } catch (IOException | RuntimeException e) {
            if (!interruptedStop()) {
                listener.warning("cannot archive " + f.name() + " (retrying): " + e.getMessage());
            }
        }
    }

    /**
     * True if the thread was interrupted (which also fails interruptible store writes, e.g. a local
     * directory's file channel): then the interrupt is a stop request like {@link #stop()}; the flag
     * is cleared so the final upload of the spool on the way out succeeds.
     */
    private boolean interruptedStop() {
        if (Thread.interrupted()) {
            stopping = true;
            return true;
        }
        return false;
    }

    private void advance(int tli, long endLsn) {
        if (tli > timeline) {
            timeline = tli;
        }
        if (Long.compareUnsigned(endLsn, archivedLsn) > 0) {
            archivedLsn = endLsn;
        }
    }

    private List<WalSpoolFile> scan() {
        try (Stream<Path> s = Files.list(options.spoolDir())) {
            return s.map(p -> WalSpoolFile.parse(p.getFileName().toString()))
                .flatMap(Optional::stream).sorted().toList();
        } catch (IOException e) {
            listener.warning("cannot list the spool directory " + options.spoolDir() + ": " + e.getMessage());
            return List.of();
        }
    }

    // ---- status

    private void sampleServer() {
        Instant now = clock.instant();
        if (lock == null || now.isBefore(lastSample.plus(SAMPLE_INTERVAL))) {
            return;
        }
        lastSample = now;
        String sql = "SELECT pg_is_in_recovery(), clock_timestamp(), "
            + "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_insert_lsn() END::text, "
            + "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_flush_lsn() END::text, "
            + "(SELECT pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() "
            + "ELSE pg_current_wal_lsn() END, restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?), "
            + "(SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?)";
        try (PreparedStatement st = lock.connection().prepareStatement(sql)) {
            st.setQueryTimeout(5);
            st.setString(1, options.slot());
            st.setString(2, options.slot());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                long time = rs.getTimestamp(2).getTime();
                String insert = rs.getString(3);
                String flush = rs.getString(4);
                if (insert != null) {
                    samples.addLast(new long[] {Lsn.parse(insert).value(), time});
                    if (samples.size() > MAX_SAMPLES) {
                        samples.removeFirst();
                    }
                }
                serverFlushLsn = flush == null ? -1 : Lsn.parse(flush).value();
                long retained = rs.getLong(5);
                slotRetained = rs.wasNull() ? -1 : retained;
                String ws = rs.getString(6);
                slotWalStatus = ws == null ? "" : ws;
                reachable = true;
            }
        } catch (SQLException | RuntimeException e) {
            reachable = false;
            serverFlushLsn = -1;
        }
    }

    /** The newest sampled server time whose WAL position is archived, dropping samples older than it. */
    Instant archivedThrough() {
        long[] best = null;
        for (long[] s : samples) {
            if (archivedLsn != 0 && Long.compareUnsigned(s[0], archivedLsn) <= 0) {
                best = s;
            }
        }
        if (best == null) {
            return null;
        }
        while (samples.peekFirst() != best) {
            samples.removeFirst();
        }
        return Instant.ofEpochMilli(best[1]);
    }

    private void writeStatus() {
        lastStatus = clock.instant();
        long lag = serverFlushLsn < 0 || archivedLsn == 0 ? -1
            : Math.max(0, serverFlushLsn - archivedLsn);
        StreamerStatus s = new StreamerStatus(options.cluster(), options.streamerId(), options.slot(),
            options.synchronous(), timeline, archivedLsn, archivedThrough(), lag,
            reachable ? slotRetained : -1, reachable ? slotWalStatus : "", reachable, lastStatus);
        try {
            sink.writeStatus(s);
        } catch (RuntimeException e) {
            listener.warning("cannot write the status object: " + e.getMessage());
        }
        listener.status(s);
    }

    // ---- helpers

    private void idle(Duration d) {
        Instant until = clock.instant().plus(d);
        while (!stopping && clock.instant().isBefore(until)) {
            tick(false);
            sleep(options.pollInterval());
        }
    }

    private void sleep(Duration d) {
        synchronized (sleeper) {
            if (stopping) {
                return;
            }
            try {
                sleeper.wait(Math.max(1, d.toMillis()));
            } catch (InterruptedException e) {
                // An interrupt asks for a stop like stop() does. The flag is not set again, so the final
                // upload of the spool (interruptible file reads) still works.
                stopping = true;
            }
        }
    }

    private static Duration next(Duration backoff) {
        Duration n = backoff.multipliedBy(2);
        return n.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : n;
    }

    private void closeLock() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // giving the connection up
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
