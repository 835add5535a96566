package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.local.LocalObjectStore;
import io.lifeboat.testing.LocalInfra;
import io.lifeboat.testing.LocalInfraExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** backup-postgres and restore-postgres through the CLI against the shared PostgreSQL. */
@ExtendWith(LocalInfraExtension.class)
class PostgresCliIT {
    @TempDir
    Path tmp;
    private final LocalInfra infra;
    private final Map<String, String> env = new HashMap<>();
    private Path repo;
    private String db;
    private String copy;
    private String out;
    private String err;

    PostgresCliIT(LocalInfra infra) {
        this.infra = infra;
    }

    @BeforeEach
    void setUp() throws Exception {
        repo = InProcessCli.localRepository(tmp.resolve("repo"), env);
        env.put("PGHOST", infra.pgHost());
        env.put("PGPORT", Integer.toString(infra.pgPort()));
        env.put("PGUSER", infra.pgUser());
        env.put("PGDATABASE", infra.pgDatabase());
        env.put("PGPASSFILE", tmp.resolve("no-pgpass").toString());
        String suffix = HexFormat.of().formatHex(new byte[] {(byte) ThreadLocalRandom.current().nextInt(),
            (byte) ThreadLocalRandom.current().nextInt(), (byte) ThreadLocalRandom.current().nextInt()});
        db = "lbt_cli_" + suffix;
        copy = "lbt_cli_copy_" + suffix;
        sql("create database " + db);
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("create table orders(id int primary key, v text); insert into orders select g, 'v' || g "
                + "from generate_series(1, 100) g");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        sql("drop database if exists " + db + " with (force)");
        sql("drop database if exists " + copy + " with (force)");
    }

    @Test
    void backupAndRestoreWithJsonReportsAndThePasswordOnlyInAFile() throws Exception {
        Path pw = tmp.resolve("pgpw");
        Files.writeString(pw, infra.pgPassword() + "\n");

        assertThat(run("backup-postgres", "--json", "--database", db, "--globals", "--pg-password-file", pw.toString(),
            "--pg-bin", infra.pgBinDir().toString())).as(err).isZero();
        String snapshot = json().get("snapshot").asText();
        assertThat(json().get("source_type").asText()).isEqualTo("postgres-logical");

        assertThat(run("restore-postgres", snapshot, "--json", "--database", db, "--target-database", copy,
            "--create-database", "--pg-password-file", pw.toString())).as(err).isZero();
        JsonNode report = json();
        assertThat(report.get("ok").asBoolean()).isTrue();
        assertThat(report.get("tables").get(0).get("status").asText()).isEqualTo("PASS");
        assertThat(report.get("tables").get(0).get("actual_rows").asLong()).isEqualTo(100);

        assertThat(run("ls", snapshot)).isZero();
        assertThat(out).contains(db + ".dump", "globals.sql", "manifest.json");
        assertThat(run("dump", snapshot, "manifest.json")).isZero();
        assertThat(out).contains("\"rows\" : 100").doesNotContain(infra.pgPassword());
        try (PackRepository r = Repositories.open(new LocalObjectStore(repo), "pw".toCharArray())) {
            assertThat(r.journal()).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(j -> assertThat(String.valueOf(j.entry())).doesNotContain(infra.pgPassword()));
        }
    }

    @Test
    void parallelRestoreSpoolsValidatesAndLeavesNoSpoolFile() throws Exception {
        env.put("PGPASSWORD", infra.pgPassword());
        assertThat(run("backup-postgres", "--database", db, "--pg-bin", infra.pgBinDir().toString())).as(err).isZero();
        Path spool = Files.createDirectory(tmp.resolve("spool"));

        assertThat(run("restore-postgres", "latest", "--database", db, "--target-database", copy, "--create-database",
            "--jobs", "2", "--spool-dir", spool.toString(), "--pg-bin", infra.pgBinDir().toString())).as(err).isZero();
        assertThat(out).contains("PASS    public.orders: 100 rows (expected 100)", "1 of 1 tables validated");
        try (var left = Files.list(spool)) {
            assertThat(left).isEmpty();
        }

        assertThat(run("restore-postgres", "latest", "--database", db, "--jobs", "2", "--clean"))
            .isEqualTo(ExitCodes.USAGE);
        assertThat(err.strip()).startsWith("lifeboat: --jobs cannot go with --clean");
        assertThat(run("restore-postgres", "latest", "--database", db, "--spool-dir", spool.toString()))
            .isEqualTo(ExitCodes.USAGE);
        assertThat(err.strip()).startsWith("lifeboat: --spool-dir only goes with --jobs");
    }

    @Test
    void wrongPasswordAndAPasswordInTheDsnAreOneLineErrors() {
        env.put("PGPASSWORD", "wrong-" + infra.pgPassword());
        assertThat(run("backup-postgres", "--database", db)).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.strip()).isEqualTo("lifeboat: wrong password for PostgreSQL user '" + infra.pgUser() + "' at "
            + infra.pgHost() + ":" + infra.pgPort());

        assertThat(run("backup-postgres", "--database", db, "--dsn", "postgresql://u:hunter2@h/db"))
            .isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("holds a password").doesNotContain("hunter2");
        assertThat(run("restore-postgres", "latest", "--database", db, "--if-exists")).isEqualTo(ExitCodes.USAGE);
    }

    private int run(String... args) {
        InProcessCli.Result r = InProcessCli.execute(new FormatBackend(), env, args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    private JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out);
    }

    private Connection connect(String database) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://" + infra.pgHost() + ":" + infra.pgPort() + "/" + database,
            infra.pgUser(), infra.pgPassword());
    }

    private void sql(String s) throws Exception {
        try (Connection c = connect(infra.pgDatabase()); Statement st = c.createStatement()) {
            st.execute(s);
        }
    }
}
