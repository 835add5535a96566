package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.chunk.Chunkers;
import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.postgres.PgConnection;
import io.lifeboat.common.engine.postgres.PgTools;
import io.lifeboat.common.engine.postgres.physical.PostgresBaseBackupSource;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.store.local.LocalObjectStore;
import io.lifeboat.testing.LocalInfra;
import io.lifeboat.testing.PrivateServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lifeboat wal-stream, wal-status and forget's WAL expiry against a private PostgreSQL 15 cluster. */
class WalStreamCliIT {
    @TempDir
    Path tmp;

    private PrivateServer pg;
    private PgConnection conn;
    private Path repoDir;
    private final Map<String, String> env = new HashMap<>();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() {
        pg = LocalInfra.startPrivate("postgres", tmp.resolve("pg"));
        conn = new PgConnection("127.0.0.1", Integer.parseInt(pg.get("LIFEBOAT_PG_PORT")), pg.get("LIFEBOAT_PG_USER"), "postgres",
            pg.get("LIFEBOAT_PG_PASSWORD"));
        repoDir = tmp.resolve("repo");
        Repositories.init(new LocalObjectStore(repoDir), "pw".toCharArray(), InitOptions.forTests()).close();
        env.put("LIFEBOAT_REPOSITORY", "local:" + repoDir);
        env.put("LIFEBOAT_PASSWORD", "pw");
        env.put("LIFEBOAT_PG_BIN", pg.get("LIFEBOAT_PG_BIN"));
        env.put("PGPASSWORD", pg.get("LIFEBOAT_PG_PASSWORD"));
        env.put("PGPASSFILE", tmp.resolve("no-pgpass").toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        Path cluster = pg.dir().resolve("cluster").toRealPath();
        pg.close();
        if (cluster.toString().startsWith("/var/tmp/lifeboat-pg-")) {
            new ProcessBuilder("rm", "-rf", cluster.toString()).start().waitFor();
        }
    }

    private String dsn() {
        return "postgresql://" + conn.user() + "@127.0.0.1:" + conn.port() + "/postgres";
    }

    private BackgroundCli stream(String spool, int seconds) {
        return new BackgroundCli(env, "--json", "wal-stream", "--cluster", "main", "--dsn", dsn(), "--spool", tmp.resolve(spool).toString(),
            "--run-for", Integer.toString(seconds));
    }

    private String query(String sql) throws Exception {
        try (Connection c = conn.open("postgres"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private void switchSegments(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            try (Connection c = conn.open("postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS t (x int)");
                st.execute("INSERT INTO t SELECT generate_series(1, 1000)");
                st.execute("SELECT pg_switch_wal()");
            }
        }
    }

    @Test
    void streamsReportsStatusAndASecondStreamerRefusesWithItsOwnExitCode() throws Exception {
        BackgroundCli first = stream("spool-a", 20);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> first.out().contains("\"event\":\"status\""));
        switchSegments(2);

        BackgroundCli second = stream("spool-b", 20);
        assertThat(second.await()).isEqualTo(ExitCodes.LOCKED);
        assertThat(second.err().lines()).singleElement().asString()
            .startsWith("lifeboat: another wal-stream already streams this cluster");

        assertThat(first.await()).as(first.err()).isZero();
        JsonNode last = null;
        for (String line : first.out().lines().toList()) {
            JsonNode n = json.readTree(line);
            if ("status".equals(n.path("event").asText())) {
                last = n;
            }
        }
        assertThat(last).isNotNull();
        assertThat(last.path("cluster").asText()).isEqualTo("main");
        assertThat(last.path("timeline").asInt()).isEqualTo(1);
        assertThat(last.path("last_archived_lsn").asText()).matches("[0-9A-F]+/[0-9A-F]+").isNotEqualTo("0/0");
        assertThat(last.path("lag_bytes").isNumber()).isTrue();
        assertThat(last.path("slot_retained_bytes").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(first.out()).contains("\"event\":\"archived\"");

        BackgroundCli status = new BackgroundCli(env, "--json", "wal-status", "--cluster", "main");
        assertThat(status.await()).as(status.err()).isZero();
        JsonNode s = json.readTree(status.out());
        assertThat(s.path("status").path("last_archived_lsn").asText()).isEqualTo(last.path("last_archived_lsn").asText());
        assertThat(s.path("segments").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(s.path("earliest_recoverable").isNull()).isTrue();
        assertThat(new BackgroundCli(env, "wal-verify", "--cluster", "main").await()).isZero();
    }

    @Test
    void forgettingABaseBackupExpiresTheWalOnlyItNeededAndMovesTheEarliestPoint() throws Exception {
        BackgroundCli streamer = stream("spool", 45);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> streamer.out().contains("\"event\":\"status\""));
        switchSegments(2);
        Snapshot first = baseBackup();
        switchSegments(3);
        Snapshot second = baseBackup();
        switchSegments(1);
        String lastSegment = query("SELECT pg_walfile_name(pg_current_wal_lsn() - 1)");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> streamer.out().contains("\"file\":\"" + lastSegment + "\""));

        BackgroundCli before = new BackgroundCli(env, "--json", "wal-status", "--cluster", "main");
        assertThat(before.await()).isZero();
        JsonNode b = json.readTree(before.out());
        assertThat(b.path("earliest_recoverable").path("base_backup").asText()).isEqualTo(first.id().hex());

        BackgroundCli forget = new BackgroundCli(env, "forget", first.id().hex());
        assertThat(forget.await()).as(forget.err()).isZero();
        assertThat(forget.out()).contains("WAL of cluster main: expired").contains("earliest recoverable point is now")
            .contains(second.id().shortHex());

        BackgroundCli after = new BackgroundCli(env, "--json", "wal-status", "--cluster", "main");
        assertThat(after.await()).isZero();
        JsonNode a = json.readTree(after.out());
        assertThat(a.path("earliest_recoverable").path("base_backup").asText()).isEqualTo(second.id().hex());
        String secondStart = second.spec().labels().get("start_segment");
        assertThat(a.path("first_segment").asText()).isEqualTo(secondStart);
        assertThat(a.path("expirable_segments").asInt()).isZero();
        assertThat(streamer.await()).as(streamer.err()).isZero();
    }

    private Snapshot baseBackup() {
        try (PackRepository repo = Repositories.open(new LocalObjectStore(repoDir), "pw".toCharArray())) {
            PostgresBaseBackupSource source = new PostgresBaseBackupSource(conn, new PgTools(Path.of(pg.get("LIFEBOAT_PG_BIN"))), "main",
                PostgresBaseBackupSource.WalMode.FETCH, Chunkers.create(repo.chunkerParams()));
            return source.backup(repo, BackupOptions.defaults(), ProgressListener.NONE).snapshot();
        }
    }
}
