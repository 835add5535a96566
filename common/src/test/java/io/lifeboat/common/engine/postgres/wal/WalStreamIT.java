package io.lifeboat.common.engine.postgres.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous archiving against a real PostgreSQL 15 cluster of the test's own (private, killed at
 * will): recovery after a hard kill of the postmaster, restart mid-stream, the single-streamer rule,
 * PITR-aware WAL retention.
 */
class WalStreamIT {
    private static final char[] PASSWORD = "wal stream it".toCharArray();

    @TempDir
    Path tmp;

    private PgCluster pg;
    private PackRepository repo;
    private final List<Running> running = new ArrayList<>();

    @BeforeEach
    void start() {
        pg = new PgCluster(tmp.resolve("pg"));
        repo = Repositories.init(new InMemoryObjectStore(), PASSWORD, InitOptions.forTests());
    }

    @AfterEach
    void stop() {
        running.forEach(Running::stop);
        if (repo != null) {
            repo.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    /** A streamer on its own thread. */
    private final class Running {
        final WalStreamer streamer;
        final Thread thread;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<String> warnings = new CopyOnWriteArrayList<>();
        final AtomicReference<StreamerStatus> status = new AtomicReference<>();

        Running(WalStreamerOptions options, WalSink sink) {
            streamer = new WalStreamer(pg.conn, options, sink, new WalStreamer.Listener() {
                @Override
                public void status(StreamerStatus s) {
                    status.set(s);
                }

                @Override
                public void warning(String message) {
                    warnings.add(message);
                }
            });
            thread = new Thread(() -> {
                try {
                    streamer.run();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "wal-streamer");
            thread.start();
            running.add(this);
        }

        void stop() {
            streamer.stop();
            try {
                thread.join(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(thread.isAlive()).as("streamer stopped").isFalse();
        }
    }

    private WalStreamerOptions options(String spool) {
        return WalStreamerOptions.defaults("pg1", tmp.resolve(spool)).withPgBin(pg.bin).withStreamerId("it-" + spool)
            .withIntervals(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    private void awaitStreaming() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "t".equals(
            pg.query("SELECT coalesce((SELECT active FROM pg_replication_slots WHERE slot_name = 'lifeboat_pg1'), false)")));
    }

    /** A sink that can be frozen: from then on nothing reaches the archive (the streamer's host died with the server). */
    private static final class FreezableSink implements WalSink {
        final WalArchiveSink delegate;
        final AtomicBoolean frozen = new AtomicBoolean();
        final AtomicBoolean failing = new AtomicBoolean();

        FreezableSink(WalArchiveSink delegate) {
            this.delegate = delegate;
        }

        private void check() {
            if (frozen.get() || failing.get()) {
                throw new IllegalStateException("sink unavailable");
            }
        }

        @Override
        public void segmentSize(long bytes) {
            delegate.segmentSize(bytes);
        }

        @Override
        public synchronized void putSegment(String fileName, byte[] data) {
            check();
            delegate.putSegment(fileName, data);
        }

        @Override
        public synchronized void putPartial(String segmentName, byte[] data, int validBytes) {
            check();
            delegate.putPartial(segmentName, data, validBytes);
        }

        @Override
        public synchronized void writeStatus(StreamerStatus status) {
            if (!frozen.get()) {
                delegate.writeStatus(status);
            }
        }

        synchronized void freeze() {
            frozen.set(true);
        }
    }

    @Test
    void afterAHardKillEveryMarkerCommittedSixSecondsBeforeIsRecovered() throws Exception {
        hardKill(false);
    }

    @Test
    void inSynchronousModeEveryCommittedMarkerIsRecovered() throws Exception {
        hardKill(true);
    }

    private void hardKill(boolean synchronous) throws Exception {
        pg.sql("CREATE TABLE markers (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())");
        if (synchronous) {
            pg.sql("ALTER SYSTEM SET synchronous_standby_names = 'lifeboat_wal'", "SELECT pg_reload_conf()");
        }
        FreezableSink sink = new FreezableSink(new WalArchiveSink(repo, "pg1"));
        Running r = new Running(options("spool").withSynchronous(synchronous), sink);
        awaitStreaming();
        if (synchronous) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "sync".equals(pg.query(
                "SELECT coalesce((SELECT sync_state FROM pg_stat_replication WHERE application_name = 'lifeboat_wal'), '')")));
        }
        Path base = tmp.resolve("base");
        pg.baseBackup(base);

        Map<Integer, Instant> committed = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            try (Connection c = pg.open(); PreparedStatement st = c.prepareStatement("INSERT INTO markers (id) VALUES (?)")) {
                for (int id = 1; writing.get(); id++) {
                    st.setInt(1, id);
                    st.executeUpdate();
                    committed.put(id, Instant.now());
                    Thread.sleep(200);
                }
            } catch (Exception e) {
                // the server was killed under the writer
            }
        }, "marker-writer");
        writer.start();
        // Long enough that some markers are more than 6 s older than the kill, across more than one partial upload.
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> committed.size() >= 60);
        Instant kill = Instant.now();
        if (!synchronous) {
            // The streamer's host dies with the server: only what reached the archive counts.
            sink.freeze();
        }
        pg.killPostmaster();
        writing.set(false);
        writer.join(Duration.ofSeconds(30).toMillis());
        r.stop();
        assertThat(r.failure.get()).isNull();

        WalArchive archive = WalArchive.open(repo, "pg1");
        assertThat(archive.verify().gaps()).isEmpty();
        try (RecoveredCluster restored = RecoveredCluster.recover(pg, base, archive)) {
            Set<Integer> present = new HashSet<>();
            try (Connection c = restored.open(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id FROM markers")) {
                while (rs.next()) {
                    present.add(rs.getInt(1));
                }
            }
            Set<Integer> required = new HashSet<>();
            committed.forEach((id, at) -> {
                if (synchronous || at.isBefore(kill.minusSeconds(6))) {
                    required.add(id);
                }
            });
            assertThat(required).isNotEmpty();
            assertThat(present).as("markers recovered (server log: %s)", restored.log()).containsAll(required);
        }
    }

    @Test
    void aStreamerRestartedMidStreamLosesNoSegment() throws Exception {
        pg.sql("CREATE TABLE t (x int)");
        FreezableSink sink = new FreezableSink(new WalArchiveSink(repo, "pg1"));
        Running first = new Running(options("spool"), sink);
        awaitStreaming();
        String firstSegment = pg.query("SELECT pg_walfile_name(pg_current_wal_lsn())");
        // Uploads fail: completed segments pile up in the spool, as when the archiver dies before uploading.
        sink.failing.set(true);
        switchSegments(3);
        String lastReceived = pg.query("SELECT pg_walfile_name(pg_current_wal_lsn() - 1)");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> java.nio.file.Files.exists(tmp.resolve("spool").resolve(lastReceived)));
        first.stop();
        // The server goes on writing while no streamer runs; the slot keeps the WAL.
        switchSegments(3);
        sink.failing.set(false);
        Running second = new Running(options("spool"), sink);
        awaitStreaming();
        switchSegments(2);
        String last = pg.query("SELECT pg_walfile_name(pg_current_wal_lsn() - 1)");
        WalArchive archive = WalArchive.open(repo, "pg1");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
            archive.list().stream().anyMatch(s -> s.segment().equals(last) && !s.partial()));
        second.stop();

        List<String> complete = archive.list().stream().filter(s -> !s.partial()).map(WalSegmentRef::segment).toList();
        long from = Long.parseLong(firstSegment.substring(16), 16);
        long to = Long.parseLong(last.substring(16), 16);
        List<String> expected = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            expected.add(firstSegment.substring(0, 16) + String.format("%08X", n));
        }
        assertThat(complete).containsAll(expected);
        assertThat(archive.verify().ok()).as(archive.verify().toString()).isTrue();
    }

    private void switchSegments(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            pg.sql("INSERT INTO t SELECT generate_series(1, 1000)", "SELECT pg_switch_wal()");
        }
    }

    @Test
    void aSecondStreamerForTheSameClusterRefusesToStart() throws Exception {
        Running first = new Running(options("spool-a"), new WalArchiveSink(repo, "pg1"));
        awaitStreaming();
        WalStreamer second = new WalStreamer(pg.conn, options("spool-b").withStreamerId("intruder"),
            new WalArchiveSink(repo, "pg1"), null);
        assertThatThrownBy(second::run).isInstanceOf(StreamerLockedException.class)
            .hasMessageContaining("another wal-stream already streams this cluster")
            .hasMessageContaining("lifeboat wal-stream it-spool-a");
        assertThat(first.thread.isAlive()).isTrue();
        assertThat(first.failure.get()).isNull();
        assertThat(pg.query("SELECT active FROM pg_replication_slots WHERE slot_name = 'lifeboat_pg1'")).isEqualTo("t");
    }

    @Test
    void expiringABaseBackupExpiresTheWalOnlyItNeeded() throws Exception {
        pg.sql("CREATE TABLE t (x int)");
        Running r = new Running(options("spool"), new WalArchiveSink(repo, "pg1"));
        awaitStreaming();
        switchSegments(2);
        BaseBackupRef first = backup("first");
        switchSegments(3);
        BaseBackupRef second = backup("second");
        switchSegments(2);
        String last = pg.query("SELECT pg_walfile_name(pg_current_wal_lsn() - 1)");
        WalArchive archive = WalArchive.open(repo, "pg1");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
            archive.list().stream().anyMatch(s -> s.segment().equals(last) && !s.partial()));
        r.stop();
        String firstStart = WalNames.segmentName(first.timeline(), new Lsn(first.startLsn()), archive.segmentSize());
        String secondStart = WalNames.segmentName(second.timeline(), new Lsn(second.startLsn()), archive.segmentSize());

        WalRetention.Plan both = WalRetention.apply(archive, List.of(first, second), false);
        assertThat(both.earliestRecoverable()).hasValue(first);
        assertThat(archive.list()).allMatch(s -> s.segment().compareTo(firstStart) >= 0);
        assertThat(archive.list()).anyMatch(s -> s.segment().equals(firstStart));

        // The policy forgets the first base backup: the WAL only it needed goes, the earliest point moves to the second.
        WalRetention.Plan onlySecond = WalRetention.apply(archive, List.of(second), false);
        assertThat(onlySecond.earliestRecoverable()).hasValue(second);
        assertThat(onlySecond.expire()).contains(firstStart).noneMatch(n -> n.compareTo(secondStart) >= 0);
        assertThat(archive.list()).isNotEmpty().allMatch(s -> s.segment().compareTo(secondStart) >= 0);
        assertThat(archive.list()).anyMatch(s -> s.segment().equals(secondStart));
        assertThat(archive.verify().gaps()).isEmpty();
    }

    /** A base backup's position, as pg_backup_start/stop report it (what the base backup snapshot records). */
    private BaseBackupRef backup(String label) throws Exception {
        try (Connection c = pg.open(); Statement st = c.createStatement()) {
            String start;
            try (ResultSet rs = st.executeQuery("SELECT pg_backup_start('" + label + "', true)::text")) {
                rs.next();
                start = rs.getString(1);
            }
            String stop;
            try (ResultSet rs = st.executeQuery("SELECT lsn::text FROM pg_backup_stop(false)")) {
                rs.next();
                stop = rs.getString(1);
            }
            int tli = Integer.parseInt(pg.query("SELECT timeline_id FROM pg_control_checkpoint()"));
            return new BaseBackupRef(label, tli, Lsn.parse(start).value(), Lsn.parse(stop).value(), Instant.now());
        }
    }
}
