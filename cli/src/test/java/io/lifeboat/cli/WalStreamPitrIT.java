package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path with the CLI alone: {@code wal-stream --synchronous} on a private PostgreSQL 15
 * cluster, {@code backup-postgres-base}, a writer committing a marker every 200 ms, {@code kill -9} of
 * the postmaster, {@code restore-pitr} to latest (restore_command = {@code lifeboat wal-fetch}): every
 * committed marker is back. Needs {@code ./lifeboat} built (make build), like PgPitrIT.
 */
class WalStreamPitrIT {
    private Path base;
    private PgTestCluster pg;
    private Path restoredDir;
    private final Map<String, String> env = new HashMap<>();

    @AfterEach
    void tearDown() throws Exception {
        if (restoredDir != null) {
            PgTestCluster.stopQuietly(restoredDir);
        }
        if (pg != null) {
            pg.close();
        }
        if (base != null) {
            try (Stream<Path> s = Files.walk(base)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void synchronousStreamingAndRestorePitrRecoverEveryCommittedMarkerAfterAHardKill() throws Exception {
        base = PgTestCluster.sharedDir("lifeboat-walstream-it-");
        Path repo = base.resolve("repo");
        Repositories.init(new LocalObjectStore(repo), "pw".toCharArray(), InitOptions.forTests()).close();
        Path pw = Files.writeString(base.resolve("password"), "pw\n");
        PgTestCluster.chown(base);
        pg = PgTestCluster.create(base.resolve("origin"),
            "max_slot_wal_keep_size = 1GB\nfsync = on\n");
        env.put("LIFEBOAT_REPOSITORY", "local:" + repo);
        env.put("LIFEBOAT_PASSWORD_FILE", pw.toString());
        env.put("LIFEBOAT_PG_CLUSTER", "main");
        env.put("LIFEBOAT_LAUNCHER", PgPitrIT.ROOT.resolve("lifeboat").toString());
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", Integer.toString(pg.port));
        env.put("PGUSER", "postgres");
        env.put("PGDATABASE", "postgres");
        env.put("PGPASSFILE", base.resolve("no-pgpass").toString());
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE markers (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())");
        }

        BackgroundCli streamer = new BackgroundCli(env, "--json", "wal-stream", "--synchronous", "--spool", base.resolve("spool").toString(), "--pg-bin",
            PgTestCluster.BIN.toString());
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> streamer.out().contains("\"event\":\"status\""));
        // Only now: with the setting in place and no streamer, every commit would wait.
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("ALTER SYSTEM SET synchronous_standby_names = 'lifeboat_wal'");
            st.execute("SELECT pg_reload_conf()");
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")) {
                return rs.next() && rs.getInt(1) == 1;
            }
        });
        BackgroundCli backup = new BackgroundCli(env, "--json", "backup-postgres-base", "--pg-bin", PgTestCluster.BIN.toString());
        assertThat(backup.await()).as(backup.err()).isZero();

        Map<Integer, Boolean> committed = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = Thread.ofPlatform().name("marker-writer").start(() -> {
            try (Connection c = pg.connect("postgres"); PreparedStatement st = c.prepareStatement("INSERT INTO markers (id) VALUES (?)")) {
                for (int id = 1; writing.get(); id++) {
                    st.setInt(1, id);
                    st.executeUpdate();
                    committed.put(id, true);
                    Thread.sleep(200);
                }
            } catch (Exception e) {
                // the server was killed under the writer
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> committed.size() >= 40);
        String pid = Files.readAllLines(pg.data.resolve("postmaster.pid")).get(0).strip();
        PgTestCluster.exec(List.of("kill", "-9", pid));
        writing.set(false);
        writer.join(Duration.ofSeconds(30));
        // The streamer uploads its last partial segment as soon as pg_receivewal loses the server.
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> streamer.out().contains("pg_receivewal exited"));
        streamer.interrupt();
        assertThat(streamer.await()).as(streamer.err()).isZero();

        restoredDir = base.resolve("restored");
        BackgroundCli restore = new BackgroundCli(env, "--json", "restore-pitr", "--data-dir", restoredDir.toString(), "--port",
            Integer.toString(PgTestCluster.freePort()), "--no-amcheck", "--pg-bin", PgTestCluster.BIN.toString());
        assertThat(restore.await()).as(restore.err() + restore.out()).isZero();
        String port = Files.readAllLines(restoredDir.resolve("postgresql.auto.conf")).stream()
            .filter(l -> l.startsWith("port")).reduce((a, b) -> b).orElseThrow().replaceAll("[^0-9]", "");
        Set<Integer> present = new HashSet<>();
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                new java.util.Properties() { { setProperty("user", "postgres"); } });
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM markers")) {
            while (rs.next()) {
                present.add(rs.getInt(1));
            }
        }
        assertThat(present).containsAll(committed.keySet());
    }
}
