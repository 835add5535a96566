package io.lifeboat.common.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.chunk.Chunkers;
import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.SnapshotInspector;
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import io.lifeboat.testing.LocalInfra;
import io.lifeboat.testing.LocalInfraExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Backs up and restores real databases on the shared PostgreSQL 15; every database and role is unique per test. */
@ExtendWith(LocalInfraExtension.class)
class PostgresLogicalIT {
    private final LocalInfra infra;
    private final List<String> databases = new ArrayList<>();
    private final List<String> roles = new ArrayList<>();
    private PgConnection conn;
    private PgTools tools;
    private PackRepository repo;

    PostgresLogicalIT(LocalInfra infra) {
        this.infra = infra;
    }

    @BeforeEach
    void setUp() {
        conn = new PgConnection(infra.pgHost(), infra.pgPort(), infra.pgUser(), infra.pgDatabase(), infra.pgPassword());
        tools = new PgTools(infra.pgBinDir());
        repo = Repositories.init(new InMemoryObjectStore(), "repo-pw".toCharArray(), InitOptions.forTests());
    }

    @AfterEach
    void tearDown() throws SQLException {
        repo.close();
        try (Connection c = admin(); Statement st = c.createStatement()) {
            for (String db : databases) {
                st.execute("drop database if exists " + db + " with (force)");
            }
            for (String r : roles) {
                st.execute("drop role if exists " + r);
            }
        }
    }

    @Test
    void roundTripRestoresEqualDataAndKeepsThePasswordOutOfManifestAndJournal() throws Exception {
        String db = shopDatabase();
        BackupResult r = source(List.of(db), true).backup(repo, options(), ProgressListener.NONE);

        Snapshot s = r.snapshot();
        assertThat(s.sourceType()).isEqualTo("postgres-logical");
        SnapshotInspector in = new SnapshotInspector(repo);
        assertThat(in.find(s, db + ".dump")).map(TreeNode::size).hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(text(in, s, "globals.sql")).contains("CREATE ROLE");
        PostgresManifest m = PostgresLogicalTarget.manifest(repo, s);
        assertThat(m.serverVersionNum()).isGreaterThanOrEqualTo(150000);
        assertThat(m.pgDumpVersion()).contains("pg_dump");
        assertThat(m.database(db).orElseThrow().table("shop", "orders").orElseThrow().rows()).isEqualTo(500);
        assertThat(m.database(db).orElseThrow().table("public", "notes").orElseThrow().rows()).isEqualTo(3);

        String copy = newName();
        PostgresRestoreReport report = target(new PostgresRestoreRequest(db, copy, null, null, false, false, true, false))
            .restoreDatabase(repo, s, ProgressListener.NONE);

        assertThat(report.createdDatabase()).isTrue();
        assertThat(report.tables()).hasSize(3).allMatch(t -> t.status() == PostgresRestoreReport.Status.PASS);
        assertThat(checksums(copy)).isEqualTo(checksums(db));

        String pw = infra.pgPassword();
        assertThat(new String(m.encode(), StandardCharsets.UTF_8)).doesNotContain(pw);
        assertThat(s.spec().labels().toString() + s.spec().paths()).doesNotContain(pw);
        assertThat(repo.journal()).isNotEmpty().allSatisfy(j -> assertThat(String.valueOf(j.entry())).doesNotContain(pw));
    }

    @Test
    void checksumsTakenFromTheDumpStreamEqualThoseOfTheRestoredTablesForRandomData() throws Exception {
        java.util.Random rnd = new java.util.Random(20261123);
        String db = createDatabase();
        StringBuilder ddl = new StringBuilder("create schema \"odd Schema\";");
        String[] types = {"text", "bytea", "numeric", "timestamptz", "int[]", "text[]", "json", "jsonb", "double precision",
            "interval", "date", "boolean"};
        for (int t = 0; t < 6; t++) {
            String name = (t % 2 == 0 ? "public." : "\"odd Schema\".") + (t == 5 ? "\"t.5 (x\"" : "\"t " + t + "\"");
            ddl.append("create table ").append(name).append("(id int");
            List<String> cols = new ArrayList<>();
            for (int c = 0; c < 1 + rnd.nextInt(5); c++) {
                String type = types[rnd.nextInt(types.length)];
                cols.add(type);
                ddl.append(", c").append(c).append(' ').append(type);
            }
            ddl.append(");");
            if (t == 3) {
                // A dropped column and a generated one: pg_dump's COPY lists neither.
                ddl.append("alter table ").append(name).append(" add column gone int, add column g int generated always as "
                    + "(id * 2) stored; alter table ").append(name).append(" drop column gone;");
            }
            int rows = t == 0 ? 1 + rnd.nextInt(40) : rnd.nextInt(40);
            for (int r = 0; r < rows; r++) {
                ddl.append("insert into ").append(name).append(" values (").append(r);
                for (String type : cols) {
                    ddl.append(", ").append(rnd.nextInt(5) == 0 ? "null" : randomValue(type, rnd));
                }
                ddl.append(");");
            }
        }
        sql(db, ddl.toString());
        Snapshot s = source(List.of(db), false).backup(repo, options(), ProgressListener.NONE).snapshot();
        PostgresManifest m = PostgresLogicalTarget.manifest(repo, s);
        assertThat(m.version()).isEqualTo(3);
        assertThat(m.database(db).orElseThrow().algorithm(m)).isEqualTo("copy-sum-xxh64");
        assertThat(m.database(db).orElseThrow().tables()).hasSize(6).allSatisfy(t -> assertThat(t.copyColumns()).isNotNull());

        String copy = newName();
        PostgresRestoreReport report = target(new PostgresRestoreRequest(db, copy, null, null, false, false, true, false))
            .restoreDatabase(repo, s, ProgressListener.NONE);
        assertThat(report.tables()).hasSize(6).allMatch(t -> t.status() == PostgresRestoreReport.Status.PASS);
        // And the source itself, read back the restore's way, gives what the stream gave.
        try (Connection c = open(db)) {
            PgChecksums.fixSession(c);
            for (PostgresManifest.TableStats t : m.database(db).orElseThrow().tables()) {
                PostgresManifest.TableStats again = PgChecksums.ofCopy(c, t.schema(), t.table(), t.copyColumns(),
                    "copy-sum-xxh64");
                assertThat(again.rows()).as(t.qualified()).isEqualTo(t.rows());
                assertThat(again.checksum()).as(t.qualified()).isEqualTo(t.checksum());
            }
        }
        // Manifest version 2 backups hold copy-sum-sha256-64: the restore-side check of that algorithm
        // still gives what a scan of pg_dump's archive gives.
        ProcessBuilder dump = new ProcessBuilder(infra.pgBinDir().resolve("pg_dump").toString(), "-Fc", "-Z0", "-h",
            infra.pgHost(), "-p", Integer.toString(infra.pgPort()), "-U", infra.pgUser(), "-d", db);
        dump.environment().put("PGPASSWORD", infra.pgPassword());
        dump.environment().put("PGOPTIONS", PostgresLogicalSource.DUMP_OPTIONS);
        dump.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = dump.start();
        PgCustomArchiveScanner.Result sha;
        try (java.io.InputStream in = p.getInputStream()) {
            sha = PgCustomArchiveScanner.scan(in, "copy-sum-sha256-64");
        }
        assertThat(p.waitFor()).isZero();
        try (Connection c = open(db)) {
            PgChecksums.fixSession(c);
            for (PostgresManifest.TableStats t : m.database(db).orElseThrow().tables()) {
                PostgresManifest.TableStats again = PgChecksums.ofCopy(c, t.schema(), t.table(), t.copyColumns(),
                    "copy-sum-sha256-64");
                PgCustomArchiveScanner.TableData d = sha.table(t.schema(), t.table());
                assertThat(again.rows()).as(t.qualified()).isEqualTo(d.rows()).isEqualTo(t.rows());
                assertThat(again.checksum()).as(t.qualified()).isEqualTo(d.checksum());
                if (t.rows() > 0) {
                    assertThat(again.checksum()).as(t.qualified()).isNotEqualTo(t.checksum());
                }
            }
        }
        // A changed row changes the checksum.
        sql(copy, "update \"t 0\" set id = id + 1000 where id = (select min(id) from \"t 0\")");
        PostgresManifest.TableStats t0 = m.database(db).orElseThrow().table("public", "t 0").orElseThrow();
        try (Connection c = open(copy)) {
            PgChecksums.fixSession(c);
            PostgresManifest.TableStats changed = PgChecksums.ofCopy(c, "public", "t 0", t0.copyColumns(),
                "copy-sum-xxh64");
            assertThat(changed.rows()).isEqualTo(t0.rows());
            assertThat(changed.checksum()).isNotEqualTo(t0.checksum());
        }
    }

    @Test
    void anArchiveThatCannotBeScannedFallsBackToTheSqlChecksumWithAWarningAndStillValidates(@TempDir Path bin)
            throws Exception {
        String db = shopDatabase();
        // A pg_dump whose archive is compressed: the dump is fine, the scanner cannot read it.
        Path fake = bin.resolve("pg_dump");
        Files.writeString(fake, "#!/bin/sh\nexec '" + infra.pgBinDir().resolve("pg_dump") + "' \"$@\" -Z1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));

        BackupResult r = new PostgresLogicalSource(conn, new PgTools(bin), List.of(db), false, false, chunker())
            .backup(repo, options(), ProgressListener.NONE);

        assertThat(r.summary().warnings()).singleElement().asString()
            .contains("database '" + db + "': the archive could not be scanned (archive is compressed")
            .contains("checksummed with SQL (sum-md5-64)");
        PostgresManifest m = PostgresLogicalTarget.manifest(repo, r.snapshot());
        assertThat(m.checksumAlgorithm()).isEqualTo("copy-sum-xxh64");
        assertThat(m.database(db).orElseThrow().algorithm(m)).isEqualTo("sum-md5-64");
        assertThat(m.database(db).orElseThrow().table("shop", "orders").orElseThrow().rows()).isEqualTo(500);
        PostgresRestoreReport report = target(new PostgresRestoreRequest(db, newName(), null, null, false, false, true,
            false)).restoreDatabase(repo, r.snapshot(), ProgressListener.NONE);
        assertThat(report.tables()).hasSize(3).allMatch(t -> t.status() == PostgresRestoreReport.Status.PASS);
    }

    @Test
    void aDatabaseThatIsNotUtf8UsesTheSqlChecksumWithoutAWarning() throws Exception {
        String db = newName();
        sql(infra.pgDatabase(), "create database " + db + " encoding 'LATIN1' template template0 lc_collate 'C' lc_ctype 'C'");
        sql(db, "create table t(id int, body text); insert into t values (1, 'cafe'), (2, null)");

        BackupResult r = source(List.of(db), false).backup(repo, options(), ProgressListener.NONE);

        assertThat(r.summary().warnings()).isEmpty();
        PostgresManifest m = PostgresLogicalTarget.manifest(repo, r.snapshot());
        assertThat(m.database(db).orElseThrow().algorithm(m)).isEqualTo("sum-md5-64");
        PostgresRestoreReport report = target(new PostgresRestoreRequest(db, newName(), null, null, false, false, true,
            false)).restoreDatabase(repo, r.snapshot(), ProgressListener.NONE);
        assertThat(report.tables()).singleElement().matches(t -> t.status() == PostgresRestoreReport.Status.PASS);
    }

    private static String randomValue(String type, java.util.Random rnd) {
        return switch (type) {
            case "text" -> "E'" + randomText(rnd) + "'";
            case "bytea" -> "decode('" + HexFormat.of().formatHex(new byte[] {(byte) rnd.nextInt(), 0, '\\', '\n'})
                + "', 'hex')";
            case "numeric" -> rnd.nextInt() + "." + rnd.nextInt(1000);
            case "timestamptz" -> "timestamptz '2024-03-10 01:30:00+05' + " + rnd.nextInt(100000) + " * interval '1 min'";
            case "int[]" -> "array[" + rnd.nextInt() + ", null, 3]";
            case "text[]" -> "array[E'" + randomText(rnd) + "', 'b c', null]";
            case "json", "jsonb" -> "'{\"k\": \"" + "tab\\there" + "\", \"n\": " + rnd.nextInt() + "}'";
            case "double precision" -> Double.toString(rnd.nextDouble() * 1e10);
            case "interval" -> "interval '" + rnd.nextInt(1000) + " days 03:04:05.678'";
            case "date" -> "date '2024-01-01' + " + rnd.nextInt(1000);
            case "boolean" -> rnd.nextBoolean() ? "true" : "false";
            default -> throw new IllegalArgumentException(type);
        };
    }

    private static String randomText(java.util.Random rnd) {
        String[] parts = {"a", "\\t", "\\n", "\\\\", "\\r", "é", "\\.", "''", "\"", " ", "{", ","};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rnd.nextInt(12); i++) {
            b.append(parts[rnd.nextInt(parts.length)]);
        }
        return b.toString();
    }

    @Test
    void oneTableRestoresIntoAnotherDatabaseAndAnExistingTableIsNeverDroppedWithoutClean() throws Exception {
        String db = shopDatabase();
        Snapshot s = source(List.of(db), false).backup(repo, options(), ProgressListener.NONE).snapshot();
        String other = createDatabase();
        sql(other, "create schema shop; create table shop.orders(id int); insert into shop.orders values (42);"
            + "create table public.keepme(id int); insert into keepme values (7)");

        PostgresRestoreRequest one = new PostgresRestoreRequest(db, other, null, List.of("shop.orders"), false, false,
            false, false);
        assertThatThrownBy(() -> target(one).restoreDatabase(repo, s, ProgressListener.NONE))
            .isInstanceOf(EngineException.class)
            .hasMessageContaining("table shop.orders already exists in database '" + other + "'")
            .hasMessageContaining("--clean");
        assertThat(scalar(other, "select count(*) from shop.orders")).isEqualTo("1");

        PostgresRestoreReport report = target(new PostgresRestoreRequest(db, other, null, List.of("shop.orders"), false,
            true, false, false)).restoreDatabase(repo, s, ProgressListener.NONE);

        assertThat(report.tables()).singleElement().satisfies(t -> {
            assertThat(t.table()).isEqualTo("orders");
            assertThat(t.status()).isEqualTo(PostgresRestoreReport.Status.PASS);
            assertThat(t.actualRows()).isEqualTo(500);
        });
        assertThat(scalar(other, "select count(*) from keepme")).isEqualTo("1");
        assertThat(scalar(other, "select to_regclass('public.notes') is null")).isEqualTo("t");
        assertThat(indexes(other)).isEqualTo("orders_pkey,orders_placed_idx");
        assertThat(report.warnings()).singleElement().asString().contains("foreign key orders_customer_fkey");
    }

    @Test
    void oneTableIntoANewDatabaseBringsItsIndexesDefaultsAndForeignKeysWhoseTargetIsRestoredToo() throws Exception {
        String db = shopDatabase();
        Snapshot s = source(List.of(db), false).backup(repo, options(), ProgressListener.NONE).snapshot();
        String copy = newName();

        PostgresRestoreReport report = target(new PostgresRestoreRequest(db, copy, null,
            List.of("shop.orders", "shop.customers"), false, false, true, false)).restoreDatabase(repo, s,
            ProgressListener.NONE);

        assertThat(report.ok()).isTrue();
        assertThat(report.warnings()).isEmpty();
        assertThat(indexes(copy)).isEqualTo("customers_pkey,orders_pkey,orders_placed_idx");
        assertThat(scalar(copy, "select count(*) from pg_constraint where conname = 'orders_customer_fkey'")).isEqualTo("1");
        sql(copy, "insert into shop.customers(name) values ('new'); insert into shop.orders(id) values (1000)");
        assertThat(scalar(copy, "select status from shop.orders where id = 1000")).isEqualTo("new");
        assertThat(scalar(copy, "select max(id) from shop.customers")).isEqualTo("51");
        assertThat(scalar(copy, "select to_regclass('public.notes') is null")).isEqualTo("t");
    }

    @Test
    void parallelRestoreSpoolsTheArchiveValidatesTheSameAndDeletesTheSpool(@TempDir Path spool) throws Exception {
        String db = shopDatabase();
        Snapshot s = source(List.of(db), false).backup(repo, options(), ProgressListener.NONE).snapshot();
        String copy = newName();

        PostgresRestoreReport whole = target(new PostgresRestoreRequest(db, copy, null, null, false, false, true, false)
            .withJobs(2, spool)).restoreDatabase(repo, s, ProgressListener.NONE);

        assertThat(whole.tables()).hasSize(3).allMatch(t -> t.status() == PostgresRestoreReport.Status.PASS);
        assertThat(checksums(copy)).isEqualTo(checksums(db));
        assertThat(indexes(copy)).isEqualTo("customers_pkey,orders_pkey,orders_placed_idx");
        try (var left = Files.list(spool)) {
            assertThat(left).isEmpty();
        }

        String other = newName();
        PostgresRestoreReport one = target(new PostgresRestoreRequest(db, other, null, List.of("shop.orders",
            "shop.customers"), false, false, true, false).withJobs(2, spool)).restoreDatabase(repo, s,
            ProgressListener.NONE);

        assertThat(one.ok()).isTrue();
        assertThat(indexes(other)).isEqualTo("customers_pkey,orders_pkey,orders_placed_idx");
        assertThat(scalar(other, "select to_regclass('public.notes') is null")).isEqualTo("t");
        try (var left = Files.list(spool)) {
            assertThat(left).isEmpty();
        }
    }

    private String indexes(String db) throws SQLException {
        return scalar(db, "select string_agg(indexname, ',' order by indexname) from pg_indexes where schemaname = 'shop'");
    }

    @Test
    void schemaOnlyRestoreCreatesEmptyTables() throws Exception {
        String db = shopDatabase();
        Snapshot s = source(List.of(db), false).backup(repo, options(), ProgressListener.NONE).snapshot();
        String copy = newName();

        PostgresRestoreReport report = target(new PostgresRestoreRequest(db, copy, List.of("shop"), null, true, false,
            true, false)).restoreDatabase(repo, s, ProgressListener.NONE);

        assertThat(report.ok()).isTrue();
        assertThat(report.tables()).hasSize(2).allSatisfy(t -> assertThat(t.actualRows()).isZero());
        assertThat(scalar(copy, "select count(*) from shop.orders")).isEqualTo("0");
        assertThat(scalar(copy, "select string_agg(indexname, ',' order by indexname) from pg_indexes "
            + "where schemaname = 'shop'")).isEqualTo("customers_pkey,orders_pkey,orders_placed_idx");
    }

    @Test
    void validationPassesWhilePgbenchWritesDuringTheBackup() throws Exception {
        String db = createDatabase();
        Map<String, String> env = conn.childEnvironment();
        run(env, infra.pgBinDir().resolve("pgbench").toString(), "-i", "-q", "-s", "2", db);
        ProcessBuilder pb = new ProcessBuilder(infra.pgBinDir().resolve("pgbench").toString(), "-T", "10", "-c", "2",
            "-n", db).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process bench = pb.start();
        try {
            long before = Long.parseLong(scalar(db, "select count(*) from pgbench_history"));
            org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() ->
                Long.parseLong(scalar(db, "select count(*) from pgbench_history")) > before + 50);
            Snapshot s = source(List.of(db), false).backup(repo, options(), ProgressListener.NONE).snapshot();
            assertThat(bench.isAlive()).as("pgbench still wrote after the backup").isTrue();

            String copy = newName();
            PostgresRestoreReport report = target(new PostgresRestoreRequest(db, copy, null, null, false, false, true,
                false)).restoreDatabase(repo, s, ProgressListener.NONE);

            assertThat(report.tables()).extracting(PostgresRestoreReport.TableResult::table)
                .contains("pgbench_accounts", "pgbench_history");
            assertThat(report.tables()).allMatch(t -> t.status() == PostgresRestoreReport.Status.PASS, "all PASS");
        } finally {
            bench.waitFor(60, TimeUnit.SECONDS);
            bench.destroyForcibly();
        }
    }

    @Test
    void aPreparedDumpRunsBeforeTheRepositoryIsGivenWaitsOnItsBoundedBufferAndIsKilledWhenUnused() throws Exception {
        String db = shopDatabase();
        // About 4 MB of COPY data: far more than one block of read-ahead plus a pipe.
        sql(db, "create table public.filler as select g, repeat('x', 200) as pad from generate_series(1, 20000) g");
        ProcessHandle dump;
        try (PostgresLogicalSource.Prepared p = PostgresLogicalSource.prepare(conn, tools, List.of(db), false, false, 1)) {
            org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> pgDumps().size() == 1);
            dump = pgDumps().get(0);
            Thread.sleep(500);
            assertThat(dump.isAlive()).as("pg_dump waits for the repository side, its output bounded").isTrue();
        }
        org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> !dump.isAlive());
        assertThat(scalar(infra.pgDatabase(), "select count(*) from pg_stat_activity where datname = '" + db
            + "' and state like 'idle in transaction%'")).isEqualTo("0");

        // Taken by a backup, the same early dump is stored and validates like any other.
        try (PostgresLogicalSource.Prepared p = PostgresLogicalSource.prepare(conn, tools, List.of(db), false, false, 1)) {
            org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> pgDumps().size() == 1);
            Snapshot s = p.source(chunker()).backup(repo, options(), ProgressListener.NONE).snapshot();
            PostgresManifest m = PostgresLogicalTarget.manifest(repo, s);
            assertThat(m.database(db).orElseThrow().table("public", "filler").orElseThrow().rows()).isEqualTo(20000);
            String copy = newName();
            PostgresRestoreReport report = target(new PostgresRestoreRequest(db, copy, null, null, false, false, true,
                false)).restoreDatabase(repo, s, ProgressListener.NONE);
            assertThat(report.tables()).hasSize(4).allMatch(t -> t.status() == PostgresRestoreReport.Status.PASS);
            assertThat(checksums(copy)).isEqualTo(checksums(db));
        }
        assertThat(pgDumps()).isEmpty();
    }

    /** This JVM's pg_dump children that dump a snapshot (not {@code --version}). */
    private static List<ProcessHandle> pgDumps() {
        return ProcessHandle.current().descendants().filter(h -> h.info().command().orElse("").endsWith("/pg_dump")
            && java.util.Arrays.stream(h.info().arguments().orElse(new String[0])).anyMatch(a -> a.startsWith("--snapshot=")))
            .toList();
    }

    @Test
    void wrongPasswordIsOneClearLine() {
        String db = shopDatabase();
        PgConnection bad = new PgConnection(conn.host(), conn.port(), conn.user(), conn.database(), "not-the-password");
        assertThatThrownBy(() -> new PostgresLogicalSource(bad, tools, List.of(db), false, false, chunker())
            .backup(repo, options(), ProgressListener.NONE))
            .isInstanceOf(EngineException.class)
            .hasMessage("wrong password for PostgreSQL user 'lifeboat' at " + conn.host() + ":" + conn.port());
        assertThat(repo.snapshots()).isEmpty();
    }

    @Test
    void missingPermissionNamesTheRolesNeeded() throws Exception {
        String db = shopDatabase();
        String role = "lbt_role_" + HexFormat.of().formatHex(randomBytes());
        sql(infra.pgDatabase(), "create role " + role + " login password 'role-pw'");
        roles.add(role);
        PgConnection weak = new PgConnection(conn.host(), conn.port(), role, conn.database(), "role-pw");

        assertThatThrownBy(() -> new PostgresLogicalSource(weak, tools, List.of(db), false, false, chunker())
            .backup(repo, options(), ProgressListener.NONE))
            .isInstanceOf(EngineException.class)
            .hasMessageStartingWith("permission denied while reading database '" + db + "' as '" + role + "'")
            .hasMessageContaining("pg_read_all_data or superuser");
        assertThat(repo.snapshots()).isEmpty();
    }

    @Test
    void rowLevelSecurityThatWouldHideRowsFailsTheBackupInsteadOfCountingShort() throws Exception {
        String db = shopDatabase();
        sql(db, "alter table shop.orders enable row level security; "
            + "create policy only_paid on shop.orders using (status = 'none')");
        String role = "lbt_role_" + HexFormat.of().formatHex(randomBytes());
        sql(infra.pgDatabase(), "create role " + role + " login password 'role-pw'; grant pg_read_all_data to " + role);
        roles.add(role);
        PgConnection reader = new PgConnection(conn.host(), conn.port(), role, conn.database(), "role-pw");

        assertThatThrownBy(() -> new PostgresLogicalSource(reader, tools, List.of(db), false, false, chunker())
            .backup(repo, options(), ProgressListener.NONE))
            .isInstanceOf(EngineException.class)
            .hasMessageStartingWith("row-level security hides rows from '" + role + "' while reading database '" + db + "'")
            .hasMessageContaining("BYPASSRLS");
        assertThat(repo.snapshots()).isEmpty();

        sql(infra.pgDatabase(), "alter role " + role + " bypassrls");
        Snapshot s = new PostgresLogicalSource(reader, tools, List.of(db), false, false, chunker())
            .backup(repo, options(), ProgressListener.NONE).snapshot();
        assertThat(PostgresLogicalTarget.manifest(repo, s).database(db).orElseThrow().table("shop", "orders")
            .orElseThrow().rows()).isEqualTo(500);
    }

    @Test
    void restoreWithoutCreatedbIsAPermissionErrorAndLeavesNoDatabase() throws Exception {
        String db = shopDatabase();
        Snapshot s = source(List.of(db), false).backup(repo, options(), ProgressListener.NONE).snapshot();
        String role = "lbt_role_" + HexFormat.of().formatHex(randomBytes());
        sql(infra.pgDatabase(), "create role " + role + " login password 'role-pw'");
        roles.add(role);
        PgConnection weak = new PgConnection(conn.host(), conn.port(), role, conn.database(), "role-pw");
        String copy = newName();

        assertThatThrownBy(() -> new PostgresLogicalTarget(weak, tools, new PostgresRestoreRequest(db, copy, null, null,
            false, false, true, false)).restoreDatabase(repo, s, ProgressListener.NONE))
            .isInstanceOf(EngineException.class)
            .hasMessageStartingWith("permission denied while preparing target database '" + copy + "' as '" + role + "'")
            .hasMessageContaining("CREATEDB");
        assertThat(scalar(infra.pgDatabase(), "select count(*) from pg_database where datname = '" + copy + "'"))
            .isEqualTo("0");
    }

    @Test
    void targetThatExistsOrIsMissingIsRefusedBeforeAnythingIsWritten() throws Exception {
        String db = shopDatabase();
        Snapshot s = source(List.of(db), false).backup(repo, options(), ProgressListener.NONE).snapshot();

        assertThatThrownBy(() -> target(new PostgresRestoreRequest(db, db, null, null, false, false, true, false))
            .restoreDatabase(repo, s, ProgressListener.NONE))
            .isInstanceOf(EngineException.class)
            .hasMessageStartingWith("target database '" + db + "' already exists")
            .hasMessageContaining("--create-database");
        String missing = newName();
        assertThatThrownBy(() -> target(new PostgresRestoreRequest(db, missing, null, null, false, false, false, false))
            .restoreDatabase(repo, s, ProgressListener.NONE))
            .isInstanceOf(EngineException.class)
            .hasMessage("target database '" + missing + "' does not exist on " + conn.host() + ":" + conn.port()
                + "; add --create-database to create it");
    }

    @Test
    void olderPgDumpThanTheServerIsRefusedWithTheSupportedRange(@TempDir Path bin) throws Exception {
        String db = shopDatabase();
        Path fake = bin.resolve("pg_dump");
        Files.writeString(fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 13.4'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));

        assertThatThrownBy(() -> new PostgresLogicalSource(conn, new PgTools(bin), List.of(db), false, false, chunker())
            .backup(repo, options(), ProgressListener.NONE))
            .isInstanceOf(EngineException.class)
            .hasMessageStartingWith("pg_dump 13 cannot dump a PostgreSQL 15 server: pg_dump 13 supports servers 9.2 to 13");
    }

    @Test
    void olderPgRestoreThanTheArchiveIsRefusedBeforeAnythingIsCreated(@TempDir Path bin) throws Exception {
        String db = shopDatabase();
        Snapshot s = source(List.of(db), false).backup(repo, options(), ProgressListener.NONE).snapshot();
        Path fake = bin.resolve("pg_restore");
        Files.writeString(fake, "#!/bin/sh\necho 'pg_restore (PostgreSQL) 13.4'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        String copy = newName();

        assertThatThrownBy(() -> new PostgresLogicalTarget(conn, new PgTools(bin), new PostgresRestoreRequest(db, copy,
            null, null, false, false, true, false)).restoreDatabase(repo, s, ProgressListener.NONE))
            .isInstanceOf(EngineException.class)
            .hasMessage("pg_restore 13 cannot read an archive written by pg_dump 15; use pg_restore 15 or newer (--pg-bin)");
        assertThat(scalar(infra.pgDatabase(), "select count(*) from pg_database where datname = '" + copy + "'"))
            .isEqualTo("0");
    }

    @Test
    void allMeansEveryNonTemplateDatabase() throws Exception {
        String db = shopDatabase();
        PostgresLogicalSource all = new PostgresLogicalSource(conn, tools, List.of(), true, false, chunker());
        Snapshot s = all.backup(repo, options(), ProgressListener.NONE).snapshot();
        PostgresManifest m = PostgresLogicalTarget.manifest(repo, s);
        assertThat(m.databases()).extracting(PostgresManifest.Database::name)
            .contains(db, infra.pgDatabase()).doesNotContain("template0", "template1");
    }

    // --- fixtures

    private PostgresLogicalSource source(List<String> dbs, boolean globals) {
        return new PostgresLogicalSource(conn, tools, dbs, false, globals, chunker());
    }

    private PostgresLogicalTarget target(PostgresRestoreRequest request) {
        return new PostgresLogicalTarget(conn, tools, request);
    }

    private static io.lifeboat.common.chunk.Chunker chunker() {
        return Chunkers.create(ChunkerParams.defaults());
    }

    private static BackupOptions options() {
        return BackupOptions.defaults().withThreads(2);
    }

    /** A database with a schema, a table of many types with an index, and a small public table. */
    private String shopDatabase() {
        String db = createDatabase();
        sql(db, """
            create schema shop;
            create table shop.customers(id serial primary key, name text not null);
            insert into shop.customers(name) select 'customer ' || g from generate_series(1, 50) g;
            create table shop.orders(id int primary key, customer int references shop.customers,
                                     amount numeric(12,2), placed timestamptz, ratio double precision, payload bytea,
                                     tags jsonb, status text default 'new');
            create index orders_placed_idx on shop.orders(placed);
            insert into shop.orders select g, 1 + g % 50, g * 1.25, timestamptz '2024-01-01' + g * interval '1 hour',
                g / 7.0, decode(md5(g::text), 'hex'), jsonb_build_object('n', g), 'paid' from generate_series(1, 500) g;
            create table public.notes(id int, body text);
            insert into public.notes values (1, 'a'), (2, null), (3, 'quote '' and \\ backslash');
            """);
        return db;
    }

    private String createDatabase() {
        String db = newName();
        sql(infra.pgDatabase(), "create database " + db);
        return db;
    }

    private String newName() {
        String db = "lbt_pg_" + HexFormat.of().formatHex(randomBytes());
        databases.add(db);
        return db;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(infra.pgJdbcUrl(), infra.pgUser(), infra.pgPassword());
    }

    private Connection open(String db) throws SQLException {
        return conn.open(db);
    }

    private void sql(String db, String sql) {
        try (Connection c = open(db); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String scalar(String db, String sql) throws SQLException {
        try (Connection c = open(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<PostgresManifest.TableStats> checksums(String db) throws SQLException {
        List<PostgresManifest.TableStats> out = new ArrayList<>();
        try (Connection c = open(db)) {
            PgChecksums.fixSession(c);
            for (String[] t : PgChecksums.tables(c)) {
                out.add(PgChecksums.of(c, t[0], t[1]));
            }
        }
        return out;
    }

    private static String text(SnapshotInspector in, Snapshot s, String path) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.dump(s, path, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }
}
