package io.lifeboat.common.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.repository.CorruptObjectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection resolution and tool command lines: the password never reaches an argument vector. */
class PostgresArgumentsTest {
    private static final String SECRET = "s3cret-pw";
    private final PgTools tools = new PgTools(Path.of("/opt/pg/bin"));

    @Test
    void commandLinesHoldNoPasswordWhichTravelsInTheChildEnvironmentOnly() {
        PgConnection c = new PgConnection("db.example", 5433, "backup", "postgres", SECRET);
        List<List<String>> commands = List.of(tools.dumpCommand("shop", "00000003-1"), tools.globalsCommand("postgres"),
            tools.restoreCommand("shop2", List.of("s"), List.of("t"), true, true, true));
        for (List<String> cmd : commands) {
            assertThat(String.join(" ", cmd)).doesNotContain(SECRET).contains("--no-password");
        }
        assertThat(c.childEnvironment()).containsEntry("PGPASSWORD", SECRET).containsEntry("PGHOST", "db.example")
            .containsEntry("PGPORT", "5433").containsEntry("PGUSER", "backup");
        assertThat(c.toString()).isEqualTo("backup@db.example:5433/postgres").doesNotContain(SECRET);
    }

    @Test
    void dumpIsCustomFormatUncompressedInTheExportedSnapshot() {
        assertThat(tools.dumpCommand("shop", "00000003-0000001B-1")).containsExactly("/opt/pg/bin/pg_dump",
            "--format=custom", "--compress=0", "--no-password", "--snapshot=00000003-0000001B-1", "--dbname=dbname='shop'");
        assertThat(tools.globalsCommand("postgres")).containsExactly("/opt/pg/bin/pg_dumpall", "--globals-only",
            "--no-password", "--dbname=dbname='postgres'");
    }

    @Test
    void aBufferedDumpRunsUnderStdbufWithTheSameArguments() {
        assertThat(tools.dumpCommand("shop", "00000003-1", true)).containsExactly("stdbuf", "-o", "1M",
            "/opt/pg/bin/pg_dump", "--format=custom", "--compress=0", "--no-password", "--snapshot=00000003-1",
            "--dbname=dbname='shop'");
        assertThat(tools.dumpCommand("shop", "00000003-1", false)).isEqualTo(tools.dumpCommand("shop", "00000003-1"));
    }

    @Test
    void pgDumpRunsUnderStdbufOnlyWhenThatWorks(@TempDir Path bin) throws Exception {
        boolean haveStdbuf = new ProcessBuilder("sh", "-c", "command -v stdbuf").start().waitFor() == 0;
        Path dump = bin.resolve("pg_dump");
        Files.writeString(dump, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 15.3'\n");
        dump.toFile().setExecutable(true);
        PgTools here = new PgTools(bin);
        assertThat(here.dumpTool()).isEqualTo(new PgTools.DumpTool("pg_dump (PostgreSQL) 15.3", haveStdbuf));

        // A pg_dump that fails under stdbuf (its preload, say): plain pg_dump, same version.
        Files.writeString(dump, "#!/bin/sh\n[ -n \"$_STDBUF_O\" ] && exit 3\necho 'pg_dump (PostgreSQL) 15.3'\n");
        assertThat(here.dumpTool()).isEqualTo(new PgTools.DumpTool("pg_dump (PostgreSQL) 15.3", false));

        // No pg_dump at all: the plain run's error, as before.
        Files.delete(dump);
        assertThatThrownBy(here::dumpTool).isInstanceOf(EngineException.class).hasMessageContaining("pg_dump");
    }

    @Test
    void restoreIsOneTransactionAndCleansOnlyWhenAsked() {
        assertThat(tools.restoreCommand("shop2", List.of(), List.of(), false, false, false)).containsExactly(
            "/opt/pg/bin/pg_restore", "--no-password", "--single-transaction", "--exit-on-error", "--dbname=dbname='shop2'");
        assertThat(tools.restoreCommand("x", List.of("sales"), List.of("orders"), true, true, true)).endsWith(
            "--schema-only", "--clean", "--if-exists", "--no-owner", "--schema=sales", "--table=orders");
    }

    @Test
    void parallelRestoreReadsTheSpooledFileWithJobsInsteadOfOneTransaction() {
        Path archive = Path.of("/spool/lifeboat-restore-1.dump");
        assertThat(tools.restoreCommand("shop2", List.of(), List.of(), false, false, false, 2, archive)).containsExactly(
            "/opt/pg/bin/pg_restore", "--no-password", "--jobs=2", "--exit-on-error", "--dbname=dbname='shop2'",
            archive.toString());
        assertThat(tools.restoreListCommand("shop2", Path.of("/t/x.list"), false, false, false, 3, archive))
            .containsExactly("/opt/pg/bin/pg_restore", "--no-password", "--jobs=3", "--exit-on-error",
                "--dbname=dbname='shop2'", "--use-list=/t/x.list", archive.toString());
        assertThat(tools.restoreListCommand("shop2", Path.of("/t/x.list"), false, false, false)).containsExactly(
            "/opt/pg/bin/pg_restore", "--no-password", "--single-transaction", "--exit-on-error",
            "--dbname=dbname='shop2'", "--use-list=/t/x.list");
        assertThat(tools.listCommand(archive)).containsExactly("/opt/pg/bin/pg_restore", "--list", archive.toString());
        assertThatThrownBy(() -> tools.restoreCommand("x", List.of(), List.of(), false, false, false, 2, null))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jobsNeedAtLeastOneAndNeverGoWithClean() {
        PostgresRestoreRequest r = new PostgresRestoreRequest("shop", "shop2", null, null, false, false, true, false);
        assertThat(r.jobs()).isEqualTo(1);
        assertThat(r.withJobs(4, Path.of("/spool")).jobs()).isEqualTo(4);
        assertThatThrownBy(() -> r.withJobs(0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PostgresRestoreRequest("shop", "shop", null, null, false, true, false, false)
            .withJobs(2, null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("--jobs cannot go with --clean");
    }

    @Test
    void databaseNamesAreQuotedSoTheyCannotAddConnectionParameters() {
        assertThat(PgTools.dbConninfo("a b' host=evil \\x")).isEqualTo("dbname='a b\\' host=evil \\\\x'");
    }

    @Test
    void uriWinsOverEnvironmentAndAPasswordInTheUriIsRefused() {
        Map<String, String> env = Map.of("PGHOST", "envhost", "PGPORT", "6000", "PGUSER", "envuser", "PGDATABASE", "envdb",
            "PGPASSWORD", SECRET);
        PgConnection c = PgConnection.resolve("postgresql://alice@h1:5544/shop", env, null);
        assertThat(c).hasToString("alice@h1:5544/shop");
        assertThat(c.hasPassword()).isTrue();
        assertThat(PgConnection.resolve(null, env, null)).hasToString("envuser@envhost:6000/envdb");
        assertThatThrownBy(() -> PgConnection.resolve("postgresql://alice:" + SECRET + "@h1/shop", env, null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds a password")
            .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> PgConnection.resolve("mysql://h1/shop", env, null))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passwordFileWinsOverEnvironmentAndPgpassIsConsultedLast(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "from-file\nsecond line\n");
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, "# comment\nother:*:*:*:nope\nh1:5432:*:bob:pa\\:ss\n*:*:*:*:fallback\n");
        Map<String, String> env = Map.of("PGPASSFILE", pgpass.toString(), "PGUSER", "bob", "PGHOST", "h1");
        assertThat(PgConnection.resolve(null, Map.of("PGPASSWORD", "env"), file).childEnvironment())
            .containsEntry("PGPASSWORD", "from-file");
        assertThat(PgConnection.resolve(null, env, null).childEnvironment()).containsEntry("PGPASSWORD", "pa:ss");
        assertThat(PgConnection.resolve("postgresql://carol@h2/db", env, null).childEnvironment())
            .containsEntry("PGPASSWORD", "fallback");
        assertThatThrownBy(() -> PgConnection.resolve(null, env, dir.resolve("missing")))
            .isInstanceOf(EngineException.class).hasMessageContaining("cannot read");
    }

    @Test
    void toolVersionsAreParsedAndAnOlderPgDumpIsRefusedWithTheRange() {
        assertThat(PgTools.parseMajor("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)")).isEqualTo(15);
        assertThat(PgTools.parseMajor("pg_dump (PostgreSQL) 9.6.24")).isEqualTo(9);
        assertThatThrownBy(() -> PgTools.parseMajor("bash: pg_dump: not found")).isInstanceOf(EngineException.class);
        PgTools.checkDumpSupports(16, 150020);
        PgTools.checkDumpSupports(15, 150020);
        assertThatThrownBy(() -> PgTools.checkDumpSupports(14, 150020)).isInstanceOf(EngineException.class)
            .hasMessage("pg_dump 14 cannot dump a PostgreSQL 15 server: pg_dump 14 supports servers 9.2 to 14; "
                + "install the PostgreSQL 15 client tools (or newer) and point --pg-bin at them");
        assertThatThrownBy(() -> PgTools.checkRestoreSupports(14, 15)).isInstanceOf(EngineException.class)
            .hasMessageContaining("pg_restore 14 cannot read an archive written by pg_dump 15");
    }

    @Test
    void toolErrorsBecomeOneLine() {
        PgConnection c = new PgConnection("h", 5432, "u", "postgres", SECRET);
        assertThat(PgErrors.ofTool("pg_restore", 1, "pg_restore: error: could not execute query: ERROR:  could not "
            + "extend file \"base/1/2\": No space left on device", c, "shop").getMessage())
            .startsWith("disk full on the PostgreSQL server h:5432 while pg_restore wrote to database 'shop'")
            .endsWith("No space left on device");
        assertThat(PgErrors.ofTool("pg_dump", 1, "pg_dump: error: connection to server failed: FATAL:  password "
            + "authentication failed for user \"u\"", c, "shop").getMessage())
            .isEqualTo("wrong password for PostgreSQL user 'u' at h:5432");
        assertThat(PgErrors.ofTool("pg_dump", 1, "pg_dump: error: aborting because of server version mismatch | "
            + "pg_dump: detail: server version: 16.1; pg_dump version: 15.2", c, "shop").getMessage())
            .startsWith("pg_dump is older than the server");
        assertThat(PgErrors.ofTool("pg_restore", 1, "a | b", c, "shop").getMessage()).doesNotContain("\n")
            .doesNotContain(SECRET);
    }

    @Test
    void restoreRequestNeedsQualifiedTables() {
        assertThatThrownBy(() -> new PostgresRestoreRequest("shop", null, null, List.of("orders"), false, false, false,
            false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema.table");
        assertThat(new PostgresRestoreRequest("shop", null, null, null, false, false, false, false).targetDatabase())
            .isEqualTo("shop");
    }

    @Test
    void manifestRoundTripsAndMalformedManifestsAreRefused() {
        PostgresManifest m = new PostgresManifest(1, "15.2", 150002, "pg_dump (PostgreSQL) 15.2", 15, "sum-md5-64", true,
            List.of(new PostgresManifest.Database("shop", "shop.dump", 10, List.of(
                new PostgresManifest.TableStats("public", "t", 3, "-12345",
                    new PostgresManifest.Dependents(List.of("i"), List.of("t_pkey"),
                        List.of(new PostgresManifest.ForeignKey("fk", "public", "u")), List.of("trg"), List.of("id"),
                        List.of("t_id_seq")))))));
        assertThat(PostgresManifest.decode(m.encode())).isEqualTo(m);
        for (String bad : List.of("", "{", "[]", "{\"version\":4}", "{\"version\":0}", "{\"version\":\"x\"}", "null")) {
            assertThatThrownBy(() -> PostgresManifest.decode(bad.getBytes(StandardCharsets.UTF_8)))
                .as(bad).isInstanceOf(CorruptObjectException.class);
        }
        // Version 1 manifests (before copy-sum-sha256-64) still read, and their checksums are sum-md5-64.
        PostgresManifest v1 = PostgresManifest.decode(("{\"version\":1,\"checksumAlgorithm\":\"sum-md5-64\","
            + "\"databases\":[{\"name\":\"shop\",\"dump\":\"shop.dump\",\"dumpBytes\":10,\"tables\":[{\"schema\":\"public\","
            + "\"table\":\"t\",\"rows\":3,\"checksum\":\"-12345\"}]}]}").getBytes(StandardCharsets.UTF_8));
        assertThat(v1.database("shop").orElseThrow().algorithm(v1)).isEqualTo("sum-md5-64");
        assertThat(v1.database("shop").orElseThrow().table("public", "t").orElseThrow().copyColumns()).isNull();
        PostgresManifest v2 = new PostgresManifest(2, "15.2", 150002, "pg_dump (PostgreSQL) 15.2", 15,
            "copy-sum-sha256-64", false, List.of(new PostgresManifest.Database("a", "a.dump", 1, List.of(
                new PostgresManifest.TableStats("public", "t", 1, "42", null, "id, \"Body\"")), null),
                new PostgresManifest.Database("b", "b.dump", 1, List.of(), "sum-md5-64")));
        PostgresManifest back = PostgresManifest.decode(v2.encode());
        assertThat(back).isEqualTo(v2);
        assertThat(back.database("a").orElseThrow().algorithm(back)).isEqualTo("copy-sum-sha256-64");
        assertThat(back.database("b").orElseThrow().algorithm(back)).isEqualTo("sum-md5-64");
        // Version 3: the same fields, stream checksums copy-sum-xxh64.
        PostgresManifest v3 = new PostgresManifest(3, "15.2", 150002, "pg_dump (PostgreSQL) 15.2", 15,
            "copy-sum-xxh64", false, List.of(new PostgresManifest.Database("a", "a.dump", 1, List.of(
                new PostgresManifest.TableStats("public", "t", 1, "18375830595874530672", null, "id")), null)));
        PostgresManifest back3 = PostgresManifest.decode(v3.encode());
        assertThat(back3).isEqualTo(v3);
        assertThat(back3.database("a").orElseThrow().algorithm(back3)).isEqualTo("copy-sum-xxh64");
        byte[] truncated = java.util.Arrays.copyOf(m.encode(), m.encode().length / 2);
        assertThatThrownBy(() -> PostgresManifest.decode(truncated)).isInstanceOf(CorruptObjectException.class);
    }
}
