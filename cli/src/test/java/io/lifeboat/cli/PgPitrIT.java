package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalSegmentRef;
import io.lifeboat.common.maintenance.Maintenance;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Base backups, WAL archiving through {@code archive_command = lifeboat wal-push} and point-in-time
 * recovery on real PostgreSQL clusters made for this test (never the shared or the machine's own).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgPitrIT {
    static final Path ROOT = BackupCrashIT.ROOT;
    static final String CLUSTER = "it";

    Path base;
    Path repo;
    PgTestCluster pg;
    final Map<String, String> env = new HashMap<>();
    final List<Path> restored = new ArrayList<>();
    String out;
    String err;

    JsonNode firstBase;
    JsonNode secondBase;
    Instant betweenAandB;
    String lsnAfterA;
    Instant beforeDrop;
    int ordersRows;

    @BeforeAll
    void setUp() throws Exception {
        base = PgTestCluster.sharedDir("lifeboat-pgwal-it-");
        repo = base.resolve("repo");
        Repositories.init(new LocalObjectStore(repo), "pw".toCharArray(), InitOptions.forTests()).close();
        Path pw = Files.writeString(base.resolve("password"), "pw\n");
        PgTestCluster.chown(base);
        Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String push = ROOT.resolve("lifeboat") + " --repo local:" + repo + " --password-file " + pw + " --quiet wal-push --cluster "
            + CLUSTER + " %p";
        pg = PgTestCluster.create(base.resolve("origin"), "archive_mode = on\narchive_command = '" + push + "'\n");

        env.put("LIFEBOAT_REPOSITORY", "local:" + repo);
        env.put("LIFEBOAT_PASSWORD_FILE", pw.toString());
        env.put("LIFEBOAT_PG_CLUSTER", CLUSTER);
        env.put("LIFEBOAT_LAUNCHER", ROOT.resolve("lifeboat").toString());
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", Integer.toString(pg.port));
        env.put("PGUSER", "postgres");
        env.put("PGDATABASE", "postgres");
        env.put("PGPASSFILE", base.resolve("no-pgpass").toString());

        sql("postgres", "CREATE DATABASE app");
        sql("app", "CREATE TABLE marks (id int PRIMARY KEY, note text NOT NULL)");
        sql("app", "CREATE TABLE orders (id int PRIMARY KEY, amount numeric NOT NULL)");
        sql("app", "INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 1000) g");
        ordersRows = 1000;
        switchAndAwaitArchive();

        assertThat(run("--json", "backup-postgres-base", "--pg-bin", PgTestCluster.BIN.toString())).as(err + out + pg.log()).isZero();
        JsonNode first = json();
        firstBase = first;
        assertThat(first.get("stop_lsn").asText()).contains("/");
        assertThat(run("--json", "backup-postgres-base", "--wal", "none", "--pg-bin", PgTestCluster.BIN.toString())).as(err).isZero();
        JsonNode second = json();
        secondBase = second;
        assertThat(second.get("wal_mode").asText()).isEqualTo("none");
        // Unchanged data files chunk the same way: the second base backup stores little.
        assertThat(second.get("bytes_added").asLong()).as(second.toString()).isLessThan(second.get("bytes_total").asLong() / 4);

        sql("app", "INSERT INTO marks VALUES (1, 'A')");
        betweenAandB = Instant.parse(query("app", "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
        lsnAfterA = query("app", "SELECT pg_current_wal_lsn()::text");
        query("app", "SELECT pg_create_restore_point('before_b')::text");
        sql("app", "INSERT INTO marks VALUES (2, 'B')");
        beforeDrop = Instant.parse(query("app", "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
        sql("app", "DROP TABLE orders");
        sql("app", "INSERT INTO marks VALUES (3, 'C')");
        switchAndAwaitArchive();
    }

    @AfterAll
    void tearDown() throws Exception {
        for (Path d : restored) {
            PgTestCluster.stopQuietly(d);
        }
        if (pg != null) {
            pg.close();
        }
        if (base != null && !Boolean.getBoolean("lifeboat.keep")) {
            try (Stream<Path> s = Files.walk(base)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    @Order(1)
    void pitrToATimeBetweenTwoTransactionsKeepsTheFirstAndNotTheSecond() throws Exception {
        Path dir = base.resolve("pitr-time");
        int port = PgTestCluster.freePort();
        restored.add(dir);
        assertThat(run("--json", "restore-pitr", "--time", betweenAandB.toString(), "--data-dir", dir.toString(), "--port",
            Integer.toString(port), "--pg-bin", PgTestCluster.BIN.toString())).as(err + out).isZero();
        JsonNode r = json();
        assertThat(r.get("reached").asBoolean()).isTrue();
        assertThat(r.get("stop_line").asText()).contains("recovery stopping before commit");
        assertThat(r.get("amcheck").asText()).isEqualTo("ok");
        assertThat(r.get("rto_seconds").asDouble()).isPositive();
        assertThat(marks(port)).containsExactly("A");
        assertThat(query(port, "app", "SELECT count(*)::text FROM orders")).isEqualTo(Integer.toString(ordersRows));
        // A restored cluster never archives into its origin's archive.
        assertThat(query(port, "postgres", "SHOW archive_mode")).isEqualTo("off");
        stopRestored(dir);
    }

    @Test
    @Order(2)
    void pitrToAnLsnAndToARestorePoint() throws Exception {
        Path byLsn = base.resolve("pitr-lsn");
        int p1 = PgTestCluster.freePort();
        restored.add(byLsn);
        assertThat(run("--json", "restore-pitr", "--lsn", lsnAfterA, "--data-dir", byLsn.toString(), "--port", Integer.toString(p1),
            "--no-amcheck", "--pg-bin", PgTestCluster.BIN.toString())).as(err + out).isZero();
        assertThat(json().get("stop_line").asText()).contains(lsnAfterA);
        assertThat(marks(p1)).containsExactly("A");
        stopRestored(byLsn);

        Path byName = base.resolve("pitr-name");
        int p2 = PgTestCluster.freePort();
        restored.add(byName);
        assertThat(run("--json", "restore-pitr", "--restore-point", "before_b", "--data-dir", byName.toString(), "--port",
            Integer.toString(p2), "--no-amcheck", "--stop-after", "--pg-bin", PgTestCluster.BIN.toString())).as(err + out).isZero();
        assertThat(json().get("stop_line").asText()).contains("before_b");
    }

    @Test
    @Order(3)
    void restoreToLatestHasEveryArchivedTransaction() throws Exception {
        Path dir = base.resolve("pitr-latest");
        int port = PgTestCluster.freePort();
        restored.add(dir);
        assertThat(run("--json", "restore-pitr", "--data-dir", dir.toString(), "--port", Integer.toString(port), "--no-amcheck",
            "--pg-bin", PgTestCluster.BIN.toString())).as(err + out).isZero();
        assertThat(json().get("reached").asBoolean()).isTrue();
        assertThat(marks(port)).containsExactly("A", "B", "C");
        stopRestored(dir);
    }

    @Test
    @Order(4)
    void aNonEmptyOrLiveDataDirectoryIsRefused() throws Exception {
        assertThat(run("restore-pitr", "--data-dir", pg.data.toString(), "--port", Integer.toString(PgTestCluster.freePort()),
            "--pg-bin", PgTestCluster.BIN.toString())).isEqualTo(1);
        assertThat(err).contains("never touches an existing cluster");
    }

    @Test
    @Order(5)
    void tablesAtAPointInTimeComeBackIntoTheLiveDatabaseWithoutLosingLaterWrites() throws Exception {
        assertThat(query("app", "SELECT count(*)::text FROM pg_tables WHERE tablename = 'orders'")).isEqualTo("0");
        Path scratch = base.resolve("scratch");
        int port = PgTestCluster.freePort();
        restored.add(scratch);
        assertThat(run("--json", "restore-tables-pitr", "--time", beforeDrop.toString(), "--database", "app", "--table", "public.orders",
            "--scratch-dir", scratch.toString(), "--port", Integer.toString(port), "--pg-bin", PgTestCluster.BIN.toString()))
            .as(err + out).isZero();
        assertThat(json().get("ok").asBoolean()).isTrue();
        assertThat(query("app", "SELECT count(*)::text FROM orders")).isEqualTo(Integer.toString(ordersRows));
        assertThat(query("app", "SELECT string_agg(note, ',' ORDER BY id) FROM marks")).isEqualTo("A,B,C");
        assertThat(Files.exists(scratch)).isFalse();
    }

    @Test
    @Order(6)
    void aMissingSegmentIsReportedAsAGap() throws Exception {
        assertThat(run("wal-verify")).as(out + err).isZero();
        try (PackRepository r = Repositories.open(new LocalObjectStore(repo), "pw".toCharArray())) {
            WalArchive archive = WalArchive.open(r, CLUSTER);
            List<WalSegmentRef> segs = archive.list().stream().filter(s -> !s.partial()).toList();
            assertThat(segs.size()).isGreaterThanOrEqualTo(3);
            WalSegmentRef victim = segs.get(segs.size() / 2);
            String key = RepositoryLayout.walSegment(CLUSTER, victim.timeline(), victim.segment());
            byte[] kept = r.store().get(key);
            archive.deleteSegments(List.of(victim));
            try {
                assertThat(run("wal-verify")).isEqualTo(1);
                assertThat(out).contains("GAP").contains(victim.segment());
            } finally {
                r.store().put(key, kept);
            }
        }
        assertThat(run("wal-verify")).isZero();
    }

    @Test
    @Order(7)
    void expiringABaseBackupExpiresTheWalOnlyItNeededAndMovesTheEarliestPoint() throws Exception {
        assertThat(run("--json", "wal-expire", "--dry-run")).as(err).isZero();
        assertThat(json().get("kept_from_segment").asText()).isEqualTo(firstBase.get("start_segment").asText());
        // forget expires the WAL only the forgotten base backup needed (shown here by its dry run); wal-expire is
        // for WAL left behind by a forget that did not (the core API, an older lifeboat), so the forget is done that way.
        assertThat(run("--json", "forget", "--dry-run", firstBase.get("snapshot").asText())).as(err).isZero();
        assertThat(json().get("wal").get(0).get("expired_wal_files").asInt()).isPositive();
        try (PackRepository rp = Repositories.open(new LocalObjectStore(repo), "pw".toCharArray())) {
            Maintenance.forget(rp, List.of(firstBase.get("snapshot").asText()), "PgPitrIT");
        }
        assertThat(run("--json", "wal-expire")).as(err).isZero();
        JsonNode r = json();
        String keptFrom = secondBase.get("start_segment").asText();
        assertThat(r.get("kept_from_segment").asText()).isEqualTo(keptFrom);
        assertThat(r.get("segments_deleted").asInt()).isPositive();
        assertThat(r.get("earliest_recoverable_lsn").asText()).isEqualTo(secondBase.get("stop_lsn").asText());
        try (PackRepository rp = Repositories.open(new LocalObjectStore(repo), "pw".toCharArray())) {
            assertThat(WalArchive.open(rp, CLUSTER).list()).allSatisfy(s -> assertThat(s.segment().substring(8))
                .isGreaterThanOrEqualTo(keptFrom.substring(8)));
        }
        assertThat(run("wal-verify")).as(out).isZero();
        // Everything after the remaining base backup still recovers.
        Path dir = base.resolve("pitr-after-expire");
        int port = PgTestCluster.freePort();
        restored.add(dir);
        assertThat(run("restore-pitr", "--data-dir", dir.toString(), "--port", Integer.toString(port), "--no-amcheck", "--stop-after",
            "--pg-bin", PgTestCluster.BIN.toString())).as(err + out).isZero();
    }

    // ------------------------------------------------------------------ helpers

    List<String> marks(int port) throws Exception {
        String s = query(port, "app", "SELECT coalesce(string_agg(note, ',' ORDER BY id), '') FROM marks");
        return s.isEmpty() ? List.of() : List.of(s.split(","));
    }

    void stopRestored(Path dir) throws Exception {
        PgTestCluster.asPostgres(List.of(PgTestCluster.BIN.resolve("pg_ctl").toString(), "-D", dir.toString(), "-m", "fast", "-w", "stop"));
    }

    void switchAndAwaitArchive() throws Exception {
        String segment = query("postgres", "SELECT pg_walfile_name(pg_switch_wal())");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            String last = query("postgres", "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver");
            if (last.compareTo(segment) >= 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("segment " + segment + " was not archived; server log: " + pg.log());
    }

    void sql(String db, String statement) throws Exception {
        try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    String query(String db, String q) throws Exception {
        return query(pg.port, db, q);
    }

    static String query(int port, String db, String q) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "postgres");
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, p);
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q)) {
            rs.next();
            return rs.getString(1);
        }
    }

    int run(String... args) {
        InProcessCli.Result r = InProcessCli.execute(new FormatBackend(env), env, args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out);
    }
}
