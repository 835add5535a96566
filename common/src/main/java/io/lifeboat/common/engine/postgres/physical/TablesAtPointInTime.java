package io.lifeboat.common.engine.postgres.physical;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.postgres.PgConnection;
import io.lifeboat.common.engine.postgres.PgTools;
import io.lifeboat.common.engine.postgres.PostgresLogicalSource;
import io.lifeboat.common.engine.postgres.PostgresLogicalTarget;
import io.lifeboat.common.engine.postgres.PostgresRestoreReport;
import io.lifeboat.common.engine.postgres.PostgresRestoreRequest;
import io.lifeboat.common.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * "Tables at a point in time", the fix for a dropped or damaged table that keeps every later write
 * elsewhere: recovers a scratch cluster to the target ({@link PointInTimeRestore}), dumps the named
 * table's database from it as a {@code postgres-logical} snapshot (tagged {@value #TAG}, so what was
 * brought back stays on record), restores just the named tables from that snapshot into the live
 * database ({@link PostgresLogicalTarget}: with their indexes, constraints, triggers and owned
 * sequences, validated against the dump's row counts and checksums), then stops the scratch cluster
 * and deletes its directory.
 */
public final class TablesAtPointInTime {
    public static final String TAG = "pitr-tables";

    /**
     * @param recovery how to recover the scratch cluster (its directory is deleted afterwards)
     * @param database the database holding the tables
     * @param tables {@code schema.table} names
     * @param targetDatabase the live database to restore into
     * @param clean drop the named tables in the live database first (when they still exist there)
     */
    public record Request(PointInTimeRestore.Request recovery, String database, List<String> tables, String targetDatabase, boolean clean) {
    }

    /**
     * @param recovery the scratch recovery's report (its proof of the target)
     * @param dumpSnapshot the snapshot holding the tables as they were
     * @param restore the per-table validation of the restore into the live database
     */
    public record Result(PointInTimeRestore.Report recovery, String dumpSnapshot, PostgresRestoreReport restore) {
    }

    private final PgTools tools;
    private final PgConnection live;
    private final Chunker chunker;

    /**
     * @param live the live server; its role logs in to the scratch cluster too (it is a copy of the same cluster)
     */
    public TablesAtPointInTime(PgTools tools, PgConnection live, Chunker chunker) {
        this.tools = tools;
        this.live = live;
        this.chunker = chunker;
    }

    public Result run(Repository repo, Request req, Instant commandStarted, ProgressListener progress) {
        PointInTimeRestore.Request r = req.recovery();
        PointInTimeRestore.Request scratchReq = new PointInTimeRestore.Request(r.cluster(), r.snapshot(), r.target(), r.dataDir(), r.port(),
            "127.0.0.1", r.osUser(), r.restoreCommand(), r.serverEnv(), false, r.timeout(), false);
        PointInTimeRestore.prepareDirectory(r.dataDir().toAbsolutePath().normalize());
        PgServer scratch = new PgServer(tools, r.dataDir().toAbsolutePath().normalize(), r.osUser(), r.serverEnv());
        try {
            PointInTimeRestore.Report report = new PointInTimeRestore(tools, live).restore(repo, scratchReq, commandStarted);
            if (!report.reached()) {
                throw new EngineException("the scratch cluster did not provably reach " + report.target() + "; nothing was restored");
            }
            PgConnection scratchConn = new PgConnection("127.0.0.1", r.port(), live.user(), req.database(),
                live.childEnvironment().get("PGPASSWORD"));
            BackupResult dump = new PostgresLogicalSource(scratchConn, tools, List.of(req.database()), false, false, chunker)
                .backup(repo, BackupOptions.defaults().withTags(List.of(TAG)), ProgressListener.NONE);
            PostgresRestoreReport restored = new PostgresLogicalTarget(live, tools, new PostgresRestoreRequest(req.database(),
                req.targetDatabase(), List.of(), req.tables(), false, req.clean(), false, false))
                .restoreDatabase(repo, dump.snapshot(), progress);
            return new Result(report, dump.snapshot().id().hex(), restored);
        } finally {
            try {
                scratch.stop();
            } finally {
                deleteTree(scratch.dataDir());
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new EngineException("cannot remove the scratch cluster in " + dir + ": " + e.getMessage(), e);
        }
    }
}
