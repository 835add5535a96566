package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.local.LocalObjectStore;
import io.lifeboat.testing.LocalInfra;
import io.lifeboat.testing.PrivateServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk full, for real: small tmpfs mounts, a private throwaway PostgreSQL cluster (the shared one and
 * the machine's own are never touched). Needs root to mount (CI runs as root); skipped otherwise.
 *
 * <p>Server side: the target database lives in a tablespace on an 8 MiB tmpfs, the dump holds ~20 MB.
 * Client side: a local repository on a tmpfs filled up to its last 2 MiB by a ballast file.
 */
class PostgresDiskFullIT {
    private static Path base;
    private static final List<Path> mounts = new ArrayList<>();
    private static PrivateServer pg;

    @TempDir
    Path tmp;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> dropAfter = new ArrayList<>();
    private String out;
    private String err;

    @BeforeAll
    static void startPrivateCluster() throws Exception {
        // The server runs as 'postgres', which must reach its data and the tablespace: not under /tmp's 0700 test dirs.
        base = Files.createTempDirectory(Path.of("/var/tmp"), "lifeboat-diskfull-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path probe = base.resolve("probe");
        Files.createDirectory(probe);
        String why = mount(probe, "64k");
        if (why != null) {
            deleteTree(base);
            Assumptions.abort("assumes mounting a tmpfs is permitted (root): " + why);
        }
        pg = LocalInfra.startPrivate("postgres", base.resolve("pg"));
        Path space = base.resolve("space");
        Files.createDirectory(space);
        assertThat(mount(space, "8m")).isNull();
        exec("chown", "postgres:", space.toString());
        sql("lifeboat", "create tablespace lbt_small location '" + space + "'");
        sql("lifeboat", "create database src");
        sql("src", "create table big(id int primary key, pad text);"
            + "insert into big select g, repeat(md5(g::text), 6) from generate_series(1, 100000) g;"
            + "create table small(id int, v text); insert into small values (1, 'one'), (2, 'two')");
    }

    @AfterAll
    static void stopPrivateCluster() throws Exception {
        try {
            if (pg != null) {
                sql("lifeboat", "drop database if exists src with (force)");
                sql("lifeboat", "drop tablespace if exists lbt_small");
                pg.close();
            }
        } finally {
            for (Path m : mounts.reversed()) {
                exec("umount", m.toString());
            }
            if (base != null) {
                deleteTree(base);
            }
        }
    }

    @BeforeEach
    void setUp() {
        env.put("LIFEBOAT_PASSWORD", "pw");
        env.put("PGHOST", pg.get("LIFEBOAT_PG_HOST"));
        env.put("PGPORT", pg.get("LIFEBOAT_PG_PORT"));
        env.put("PGUSER", pg.get("LIFEBOAT_PG_USER"));
        env.put("PGDATABASE", pg.get("LIFEBOAT_PG_DATABASE"));
        env.put("PGPASSWORD", pg.get("LIFEBOAT_PG_PASSWORD"));
        env.put("PGPASSFILE", tmp.resolve("no-pgpass").toString());
    }

    @AfterEach
    void dropTargets() throws Exception {
        for (String db : dropAfter) {
            sql("lifeboat", "drop database if exists " + db + " with (force)");
        }
    }

    @Test
    void restoreIntoAFullServerIsOneLineNamesTheTablesNotRestoredAndDropsNothingElse() throws Exception {
        useRepository(tmp.resolve("repo"));
        assertThat(run("backup-postgres", "--database", "src", "--pg-bin", pgBin())).as(err).isZero();
        String target = targetOnTheSmallTablespace("lbt_full_target");

        int code = run("restore-postgres", "latest", "--json", "--database", "src", "--target-database", target,
            "--pg-bin", pgBin());

        assertThat(code).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.strip()).doesNotContain("\n")
            .startsWith("lifeboat: disk full on the PostgreSQL server 127.0.0.1:" + pg.get("LIFEBOAT_PG_PORT")
                + " while pg_restore wrote to database '" + target + "': ")
            .contains("No space left on device", "that pg_restore run was rolled back",
                "not restored: public.big, public.small");
        JsonNode report = new ObjectMapper().readTree(out);
        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.get("error").asText()).startsWith("disk full on the PostgreSQL server");
        assertThat(report.get("tables")).extracting(t -> t.get("table").asText() + "=" + t.get("status").asText())
            .containsExactlyInAnyOrder("big=NOT_RESTORED", "small=NOT_RESTORED");
        assertThat(scalar(target, "select string_agg(id::text, ',') from keepme")).isEqualTo("7");
        assertThat(scalar(target, "select count(*) from pg_tables where schemaname = 'public'")).isEqualTo("1");
        assertThat(scalar("lifeboat", "select count(*) from pg_database where datname = 'src'")).isEqualTo("1");
    }

    @Test
    void parallelRestoreIntoAFullServerReportsWhatItLeftAndStillDropsNothingElse() throws Exception {
        useRepository(tmp.resolve("repo"));
        assertThat(run("backup-postgres", "--database", "src", "--pg-bin", pgBin())).as(err).isZero();
        String target = targetOnTheSmallTablespace("lbt_full_target_j");
        Path spool = Files.createDirectory(tmp.resolve("spool"));

        int code = run("restore-postgres", "latest", "--json", "--database", "src", "--target-database", target,
            "--jobs", "2", "--spool-dir", spool.toString(), "--pg-bin", pgBin());

        assertThat(code).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.strip()).doesNotContain("\n").startsWith("lifeboat: disk full on the PostgreSQL server")
            .contains("a parallel restore is not one transaction", "not restored: public.big");
        JsonNode report = new ObjectMapper().readTree(out);
        assertThat(report.get("tables")).filteredOn(t -> t.get("table").asText().equals("big")).singleElement()
            .satisfies(t -> assertThat(t.get("status").asText()).isIn("FAIL", "MISSING"));
        assertThat(scalar(target, "select string_agg(id::text, ',') from keepme")).isEqualTo("7");
        try (Stream<Path> left = Files.list(spool)) {
            assertThat(left).as("the spooled archive is deleted after a failure").isEmpty();
        }
    }

    @Test
    void spoolDirectoryTooSmallForTheArchiveIsRefusedBeforeAnythingIsWritten() throws Exception {
        useRepository(tmp.resolve("repo"));
        assertThat(run("backup-postgres", "--database", "src", "--pg-bin", pgBin())).as(err).isZero();
        Path spool = base.resolve("tiny-spool");
        Files.createDirectory(spool);
        assertThat(mount(spool, "1m")).isNull();

        int code = run("restore-postgres", "latest", "--database", "src", "--target-database", "lbt_never",
            "--create-database", "--jobs", "2", "--spool-dir", spool.toString(), "--pg-bin", pgBin());

        assertThat(code).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.strip()).doesNotContain("\n")
            .startsWith("lifeboat: not enough space in spool directory " + spool + " for the archive of database 'src'")
            .contains("choose another --spool-dir, or restore without --jobs");
        assertThat(scalar("lifeboat", "select count(*) from pg_database where datname = 'lbt_never'")).isEqualTo("0");
        try (Stream<Path> left = Files.list(spool)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void backupIntoAFullRepositoryDiskIsOneLineLeavesNoSnapshotAndTheNextBackupSucceeds() throws Exception {
        sql("lifeboat", "create database lbt_random");
        dropAfter.add("lbt_random");
        // ~6 MB of random bytes: the repository's zstd cannot shrink them below the free 2 MiB.
        sql("lbt_random", "create table r(id int, b bytea); insert into r select g, decode((select string_agg("
            + "md5(random()::text || g || s), '') from generate_series(1, 32) s), 'hex') from generate_series(1, 12000) g");
        Path disk = base.resolve("repo-disk");
        Files.createDirectory(disk);
        assertThat(mount(disk, "24m")).isNull();
        Path repoDir = disk.resolve("repo");
        useRepository(repoDir);
        FileStore store = Files.getFileStore(disk);
        Path ballast = disk.resolve("ballast");
        fill(ballast, store.getUsableSpace() - 2 * 1024 * 1024);

        int code = run("backup-postgres", "--database", "lbt_random", "--pg-bin", pgBin());

        assertThat(code).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.strip()).doesNotContain("\n")
            .startsWith("lifeboat: disk full where the repository is stored: ")
            .contains("No space left on device", "no snapshot was committed");
        assertThat(run("snapshots", "--json")).as(err).isZero();
        assertThat(new ObjectMapper().readTree(out)).isEmpty();

        Files.delete(ballast);
        assertThat(run("backup-postgres", "--database", "lbt_random", "--pg-bin", pgBin())).as(err).isZero();
        assertThat(run("snapshots", "--json")).isZero();
        assertThat(new ObjectMapper().readTree(out)).hasSize(1);
        assertThat(run("check")).as(out + err).isZero();
    }

    // --- fixtures

    private void useRepository(Path dir) {
        Repositories.init(new LocalObjectStore(dir), "pw".toCharArray(), InitOptions.forTests()).close();
        env.put("LIFEBOAT_REPOSITORY", "local:" + dir);
    }

    /** A database whose default tablespace is the 8 MiB tmpfs, with one table of its own that must survive. */
    private String targetOnTheSmallTablespace(String name) throws Exception {
        sql("lifeboat", "create database " + name + " tablespace lbt_small");
        dropAfter.add(name);
        sql(name, "create table keepme(id int); insert into keepme values (7)");
        return name;
    }

    private static String pgBin() {
        return pg.get("LIFEBOAT_PG_BIN");
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[1 << 20];
        try (OutputStream o = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                o.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    private int run(String... args) {
        InProcessCli.Result r = InProcessCli.execute(new FormatBackend(), env, args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    /** Mounts a tmpfs of {@code size} on {@code dir}; returns null, or why it could not. */
    private static String mount(Path dir, String size) throws Exception {
        String why = exec("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.toString());
        if (why == null) {
            mounts.add(dir);
        }
        return why;
    }

    /** Runs a command; returns null on success, else its output. */
    private static String exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 ? null : "'" + String.join(" ", cmd) + "' failed: " + text;
    }

    private static Connection connect(String database) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://" + pg.get("LIFEBOAT_PG_HOST") + ":"
            + pg.get("LIFEBOAT_PG_PORT") + "/" + database, pg.get("LIFEBOAT_PG_USER"), pg.get("LIFEBOAT_PG_PASSWORD"));
    }

    private static void sql(String database, String s) throws Exception {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            st.execute(s);
        }
    }

    private static String scalar(String database, String s) throws Exception {
        try (Connection c = connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(s)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        exec("rm", "-rf", "--one-file-system", dir.toString());
    }
}
