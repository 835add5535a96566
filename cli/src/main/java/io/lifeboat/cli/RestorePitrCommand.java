package io.lifeboat.cli;

import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.engine.postgres.PgConnection;
import io.lifeboat.common.engine.postgres.physical.PointInTimeRestore;
import io.lifeboat.common.repository.Repository;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restore-pitr", description = {
    "Point-in-time recovery of a cluster into a NEW data directory: a base backup plus the cluster's WAL archive,",
    "replayed to --time, --lsn, --xid, --restore-point or the latest WAL archived; the server is started on --port,",
    "promoted, and proven to have stopped at the target (from its own log); then pg_amcheck checks every database.",
    "The directory must not exist or be empty. Archiving is switched off in the restored cluster (archive_mode = off).",
    "--dsn names the role to log in to the restored server with (it is a copy of the origin: same roles).",
    "Exit 0 only when the target is proven reached and pg_amcheck found nothing.",
    "Example: lifeboat restore-pitr --cluster main --time 2026-11-23T04:00:00Z --data-dir /srv/pg-restored --port 5433"})
final class RestorePitrCommand extends RepoCommand {
    @Mixin
    PgOptions pg;

    @Mixin
    WalOptions wal;

    @Mixin
    PitrOptions pitr;

    @Option(names = "--data-dir", paramLabel = "DIR", required = true, description = "The new data directory.")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "ADDRESSES", description = "listen_addresses of the restored server (default 127.0.0.1).")
    String listen = "127.0.0.1";

    @Option(names = "--no-amcheck", description = "Skip pg_amcheck.")
    boolean noAmcheck;

    @Option(names = "--stop-after", description = "Stop the restored server once the target is proven (default: leave it running).")
    boolean stopAfter;

    /**
     * While the key slot's scrypt holds this thread, the other core loads the JDBC driver the restore needs
     * only once the server is up (otherwise about 0.1 s between the server's start and the first poll) and
     * warms AES-GCM up for the base backup's blobs.
     */
    @Override
    AutoCloseable startBeforeOpen() {
        PgConnection.warmUpDriverInBackground();
        AesGcm.warmUpInBackground();
        return null;
    }

    @Override
    int run(Repository repo) {
        Instant started = LifeboatCli.rtoStart();
        String cluster = wal.cluster(root.env);
        PgConnection login = pg.connection(root.env);
        PointInTimeRestore.Report r = new PointInTimeRestore(pg.tools(), login)
            .restore(repo, pitr.request(root, cluster, dataDir, listen, !noAmcheck, stopAfter), started, startPhases(started));
        journal(repo, "restore-pitr", List.of(r.snapshot()), Map.of("cluster", cluster, "target", r.target(),
            "reached", Boolean.toString(r.reached()), "rto_seconds", Double.toString(r.rtoSeconds())));
        print(root, r);
        if (!r.reached()) {
            root.err.println("lifeboat: the restored server runs, but its log does not prove it stopped at " + r.target()
                + "; check " + r.dataDir().resolve("lifeboat-recovery.log"));
            return ExitCodes.FAILURE;
        }
        if (!r.amcheckOk()) {
            root.err.println("lifeboat: pg_amcheck reported corruption in the restored cluster: " + r.amcheck());
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    /** jvm: process start (launcher included) to the command; open: reading the key slot (scrypt) and the repository. */
    private Map<String, Instant> startPhases(Instant started) {
        Map<String, Instant> m = new LinkedHashMap<>();
        if (commandBegan != null && repositoryOpened != null && !commandBegan.isBefore(started)) {
            m.put("jvm", commandBegan);
            m.put("open", repositoryOpened);
        }
        return m;
    }

    static void print(LifeboatCli root, PointInTimeRestore.Report r) {
        if (root.json) {
            root.printJson(toMap(r));
            return;
        }
        root.out.printf("Base backup: %s (finished %s)%n", r.snapshot().substring(0, 8), Format.time(r.baseBackupFinished()));
        root.out.printf("Target:      %s: %s%n", r.target(), r.reached() ? "REACHED" : "NOT PROVEN");
        if (r.stopLine() != null) {
            root.out.printf("PostgreSQL:  %s%n", r.stopLine());
        }
        root.out.printf("Replayed to: %s%s, timeline %d%n", r.redoDoneAt(), r.lastTransactionTime() == null ? ""
            : " (last transaction " + r.lastTransactionTime() + ")", r.timeline());
        if (r.archiveEnd() != null) {
            root.out.printf("Archive end: %s%n", r.archiveEnd());
        }
        root.out.printf("amcheck:     %s%n", r.amcheck() == null ? "skipped" : r.amcheck());
        root.out.printf("Running:     %s on port %d%n", r.dataDir(), r.port());
        root.out.printf("RTO:         %.1f s from the command's start to accepting writes%n", r.rtoSeconds());
        StringBuilder phases = new StringBuilder();
        r.phases().forEach((k, v) -> phases.append(phases.isEmpty() ? "" : ", ").append(k).append(String.format(" %.1f", v)));
        root.out.printf("Phases (s):  %s%n", phases);
    }

    static Map<String, Object> toMap(PointInTimeRestore.Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("snapshot", r.snapshot());
        m.put("base_backup_finished", r.baseBackupFinished().toString());
        m.put("data_dir", r.dataDir().toString());
        m.put("port", r.port());
        m.put("target", r.target());
        m.put("reached", r.reached());
        m.put("stop_line", r.stopLine());
        m.put("redo_done_at", r.redoDoneAt());
        m.put("last_transaction_time", r.lastTransactionTime());
        m.put("archive_end", r.archiveEnd());
        m.put("timeline", r.timeline());
        m.put("amcheck", r.amcheck());
        m.put("rto_seconds", r.rtoSeconds());
        m.put("phases_seconds", r.phases());
        return m;
    }
}
