package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalGapReport;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A timeline switch end to end, with the CLI alone: {@code wal-stream} archives timeline 1 of a
 * private PostgreSQL 15 cluster; the cluster goes away and a copy restored with {@code restore-pitr}
 * (which promotes it to timeline 2) becomes the new primary; {@code wal-stream} restarted against it,
 * on the same spool, archives the history file and the timeline-2 segments; the archive shows no gap
 * across the switch; and {@code restore-pitr} to latest replays timeline 2, rows written after the
 * switch included. Needs {@code ./lifeboat} built (make build), like PgPitrIT.
 */
class WalTimelineSwitchIT {
    private static final Pattern TIMELINE = Pattern.compile("\"timeline\":(\\d+)");

    private Path base;
    private PgTestCluster pg;
    private final List<Path> restored = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Path dir : restored) {
            PgTestCluster.stopQuietly(dir);
        }
        if (pg != null) {
            pg.close();
        }
        if (base != null) {
            PgTestCluster.exec(List.of("rm", "-rf", base.toString()));
        }
    }

    @Test
    void theStreamerFollowsAPromotionAndRestoreToLatestReplaysTheNewTimeline() throws Exception {
        base = PgTestCluster.sharedDir("lifeboat-timeline-it-");
        Path repo = base.resolve("repo");
        Repositories.init(new LocalObjectStore(repo), "pw".toCharArray(), InitOptions.forTests()).close();
        Path pw = Files.writeString(base.resolve("password"), "pw\n");
        PgTestCluster.chown(base);
        pg = PgTestCluster.create(base.resolve("origin"), "max_slot_wal_keep_size = 1GB\n");
        env.put("LIFEBOAT_REPOSITORY", "local:" + repo);
        env.put("LIFEBOAT_PASSWORD_FILE", pw.toString());
        env.put("LIFEBOAT_PG_CLUSTER", "main");
        env.put("LIFEBOAT_LAUNCHER", PgPitrIT.ROOT.resolve("lifeboat").toString());
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", Integer.toString(pg.port));
        env.put("PGUSER", "postgres");
        env.put("PGDATABASE", "postgres");
        env.put("PGPASSFILE", base.resolve("no-pgpass").toString());
        String spool = base.resolve("spool").toString();
        String bin = PgTestCluster.BIN.toString();
        sql(pg.port, "CREATE TABLE rows (id int PRIMARY KEY, tli text NOT NULL)", "INSERT INTO rows SELECT g, 'one' FROM generate_series(1, 100) g");

        // Timeline 1: streamed, a base backup, more rows and segment switches.
        BackgroundCli first = new BackgroundCli(env, "--json", "wal-stream", "--spool", spool, "--pg-bin", bin);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> first.out().contains("\"event\":\"status\""));
        BackgroundCli backup = new BackgroundCli(env, "--json", "backup-postgres-base", "--pg-bin", bin);
        assertThat(backup.await()).as(backup.err()).isZero();
        for (int i = 0; i < 2; i++) {
            sql(pg.port, "INSERT INTO rows SELECT g, 'one' FROM generate_series(" + (101 + i * 100) + ", " + (200 + i * 100) + ") g",
                "SELECT pg_switch_wal()");
        }
        sql(pg.port, "INSERT INTO rows SELECT g, 'one' FROM generate_series(301, 400) g");
        // The old primary goes away cleanly; the streamer uploads what it received and is stopped.
        pg.stop();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> first.out().contains("pg_receivewal exited"));
        first.stop();

        // The new primary: a copy recovered from the archive, promoted by restore-pitr to timeline 2.
        Path promotedDir = base.resolve("promoted");
        restored.add(promotedDir);
        int promotedPort = PgTestCluster.freePort();
        BackgroundCli promote = new BackgroundCli(env, "--json", "restore-pitr", "--data-dir", promotedDir.toString(), "--port", Integer.toString(promotedPort),
            "--no-amcheck", "--pg-bin", bin);
        assertThat(promote.await()).as(promote.err() + promote.out()).isZero();
        assertThat(timelineOf(promote.out())).isEqualTo(2);
        assertThat(count(promotedPort, "SELECT count(*) FROM rows WHERE tli = 'one'")).isEqualTo(400);
        sql(promotedPort, "INSERT INTO rows SELECT g, 'two' FROM generate_series(1001, 1100) g");

        // The streamer restarted against the new primary, same spool: history file and timeline 2 archived.
        Map<String, String> env2 = new HashMap<>(env);
        env2.put("PGPORT", Integer.toString(promotedPort));
        BackgroundCli second = new BackgroundCli(env2, "--json", "wal-stream", "--spool", spool, "--pg-bin", bin);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> second.out().contains("\"event\":\"status\""));
        sql(promotedPort, "SELECT pg_switch_wal()", "INSERT INTO rows SELECT g, 'two' FROM generate_series(1101, 1200) g",
            "SELECT pg_switch_wal()");
        // The last segment completed on timeline 2; the rows after it are only in the current (partial) segment.
        String lastTwo = query(promotedPort, "SELECT pg_walfile_name(pg_current_wal_lsn() - 1)");
        assertThat(lastTwo).startsWith("00000002");
        sql(promotedPort, "INSERT INTO rows SELECT g, 'two' FROM generate_series(1201, 1300) g");
        try (Repository r = Repositories.open(new LocalObjectStore(repo), "pw".toCharArray())) {
            WalArchive archive = WalArchive.open(r, "main");
            try {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    archive.list().stream().anyMatch(s -> s.timeline() == 2 && s.segment().equals(lastTwo) && !s.partial()));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                List<String> spooled;
                try (Stream<Path> files = Files.list(Path.of(spool))) {
                    spooled = files.map(f -> f.getFileName().toString()).sorted().toList();
                }
                throw new AssertionError(lastTwo + " not archived; archive " + archive.list() + "; spool " + spooled
                    + "; streamer output:\n" + second.out() + second.err(), e);
            }
        }
        // The rows after the last switch live only in the partial segment the streamer uploads on stop.
        second.stop();
        assertThat(second.out()).as(second.err()).doesNotContain("cannot archive");
        // The new primary goes away too, so the final restore cannot be mistaken for it.
        PgTestCluster.asPostgres(List.of(PgTestCluster.BIN.resolve("pg_ctl").toString(), "-D", promotedDir.toString(), "-m", "fast",
            "-w", "stop"));

        try (Repository r = Repositories.open(new LocalObjectStore(repo), "pw".toCharArray())) {
            WalArchive archive = WalArchive.open(r, "main");
            WalGapReport report = archive.verify();
            assertThat(report.ok()).as(report.toString()).isTrue();
            assertThat(archive.historyTimelines()).contains(2);
            assertThat(report.timelines()).anySatisfy(t -> {
                assertThat(t.timeline()).isEqualTo(2);
                assertThat(t.parent()).isEqualTo(1);
                assertThat(t.segments()).isGreaterThanOrEqualTo(2);
            });
        }
        BackgroundCli verify = new BackgroundCli(env, "wal-verify");
        assertThat(verify.await()).as(verify.out() + verify.err()).isZero();

        // Restore to latest from the timeline-1 base backup: recovery follows timeline 2 to its end.
        Path finalDir = base.resolve("final");
        restored.add(finalDir);
        int finalPort = PgTestCluster.freePort();
        BackgroundCli latest = new BackgroundCli(env, "--json", "restore-pitr", "--data-dir", finalDir.toString(), "--port", Integer.toString(finalPort),
            "--no-amcheck", "--pg-bin", bin);
        assertThat(latest.await()).as(latest.err() + latest.out()).isZero();
        // restore-pitr promotes the restored copy, so it runs on a timeline after 2, branched from 2's end.
        assertThat(timelineOf(latest.out())).isEqualTo(3);
        assertThat(count(finalPort, "SELECT count(*) FROM rows WHERE tli = 'one'")).isEqualTo(400);
        assertThat(count(finalPort, "SELECT count(*) FROM rows WHERE tli = 'two'")).isEqualTo(300);
        assertThat(Files.readString(finalDir.resolve("pg_wal").resolve("00000003.history"))).startsWith("1\t").contains("\n2\t");
    }

    private static int timelineOf(String json) {
        Matcher m = TIMELINE.matcher(json);
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    private static Connection connect(int port) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    private static void sql(int port, String... statements) throws Exception {
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static String query(int port, String sql) throws Exception {
        try (Connection c = connect(port); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(int port, String sql) throws Exception {
        return Long.parseLong(query(port, sql));
    }
}
