package io.lifeboat.common.engine.postgres;

import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.chunk.Chunkers;
import io.lifeboat.common.engine.BackupSource;
import io.lifeboat.common.engine.BackupSourceContract;
import io.lifeboat.testing.LocalInfra;
import io.lifeboat.testing.LocalInfraExtension;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link PostgresLogicalSource} passes the {@link BackupSourceContract} on a fixed database of the shared
 * PostgreSQL 15. bytes_total is what pg_dump itself writes for that database (checked by running pg_dump
 * here); a second run stores again only the dump's {@value PostgresLogicalSource#HEADER_BLOB}-byte head,
 * which holds pg_dump's time stamp.
 */
@ExtendWith(LocalInfraExtension.class)
class PostgresLogicalSourceContractIT extends BackupSourceContract {
    private static final ChunkerParams SMALL_CHUNKS = new ChunkerParams(ChunkerParams.defaults().algorithm(), 16 * 1024,
        64 * 1024, 256 * 1024, ChunkerParams.defaults().gearSeed());
    private final LocalInfra infra;
    private PgConnection conn;
    private String db;
    private long dumpBytes = -1;

    PostgresLogicalSourceContractIT(LocalInfra infra) {
        this.infra = infra;
    }

    @BeforeEach
    void createDatabase() throws Exception {
        conn = new PgConnection(infra.pgHost(), infra.pgPort(), infra.pgUser(), infra.pgDatabase(), infra.pgPassword());
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        db = "lbt_contract_" + HexFormat.of().formatHex(b);
        sql(infra.pgDatabase(), "create database " + db);
        // Enough rows for a dump of several chunks, so that the second run has data to share with the first.
        sql(db, "create table t(id int primary key, v text); insert into t select g, md5(g::text) || repeat('x', g % 97) "
            + "from generate_series(1, 60000) g; create table u(id int); insert into u values (1), (2)");
    }

    @AfterEach
    void dropDatabase() throws Exception {
        sql(infra.pgDatabase(), "drop database if exists " + db + " with (force)");
    }

    @Override
    protected BackupSource newSource() {
        return new PostgresLogicalSource(conn, new PgTools(infra.pgBinDir()), List.of(db), false, false,
            Chunkers.create(SMALL_CHUNKS));
    }

    @Override
    protected long expectedBytes() {
        if (dumpBytes < 0) {
            dumpBytes = pgDumpBytes();
        }
        return dumpBytes;
    }

    /** The size of what pg_dump writes for the database, run here directly. */
    private long pgDumpBytes() {
        try {
            ProcessBuilder pb = new ProcessBuilder(new PgTools(infra.pgBinDir()).dumpCommand(db, null));
            pb.environment().putAll(conn.childEnvironment());
            Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long n;
            try (InputStream in = p.getInputStream()) {
                n = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            if (p.waitFor() != 0) {
                throw new IllegalStateException("pg_dump failed");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected long bytesNewOnEveryRun() {
        return PostgresLogicalSource.HEADER_BLOB;
    }

    private void sql(String database, String s) throws Exception {
        try (Connection c = conn.open(database); Statement st = c.createStatement()) {
            st.execute(s);
        }
    }
}
