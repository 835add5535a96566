package io.lifeboat.cli;

import io.lifeboat.common.engine.postgres.PgConnection;
import io.lifeboat.common.engine.postgres.PostgresRestoreReport;
import io.lifeboat.common.engine.postgres.physical.TablesAtPointInTime;
import io.lifeboat.common.repository.Repository;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restore-tables-pitr", description = {
    "Bring tables back as they were at a point in time into the live database, keeping every later write elsewhere:",
    "recovers a scratch cluster to the target (restore-pitr into --scratch-dir on --port), dumps the database there",
    "(kept as a postgres-logical snapshot tagged pitr-tables), restores only the named tables into the live database",
    "(--dsn) with their indexes, constraints and owned sequences, validates rows and checksums, and removes the scratch cluster.",
    "Example: lifeboat restore-tables-pitr --cluster main --time 2026-11-23T04:00:00Z --database shop --table public.orders \\",
    "           --scratch-dir /var/tmp/pitr-scratch --port 5433 --dsn postgresql://admin@db1/shop"})
final class RestoreTablesPitrCommand extends RepoCommand {
    @Mixin
    PgOptions pg;

    @Mixin
    WalOptions wal;

    @Mixin
    PitrOptions pitr;

    @Option(names = {"-d", "--database"}, paramLabel = "NAME", required = true, description = "Database holding the tables.")
    String database;

    @Option(names = {"-t", "--table"}, paramLabel = "SCHEMA.TABLE", required = true, description = "Table to bring back (repeatable).")
    List<String> tables = new ArrayList<>();

    @Option(names = "--target-database", paramLabel = "NAME", description = "Live database to restore into (default: --database).")
    String targetDatabase;

    @Option(names = "--clean", description = "Drop the named tables in the live database first, when they still exist there.")
    boolean clean;

    @Option(names = "--scratch-dir", paramLabel = "DIR", required = true, description = "New, empty directory for the scratch cluster (removed afterwards).")
    Path scratchDir;

    @Override
    int run(Repository repo) {
        Instant started = LifeboatCli.rtoStart();
        String cluster = wal.cluster(root.env);
        PgConnection live = pg.connection(root.env);
        TablesAtPointInTime.Result r;
        try (ProgressReporter progress = ProgressReporter.create("restore", root.err, root.quiet || root.json)) {
            r = new TablesAtPointInTime(pg.tools(), live, root.backend.chunker(repo.chunkerParams())).run(repo,
                new TablesAtPointInTime.Request(pitr.request(root, cluster, scratchDir, "127.0.0.1", false, false), database, tables,
                    targetDatabase == null ? database : targetDatabase, clean), started, progress);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
        PostgresRestoreReport rr = r.restore();
        journal(repo, "restore-tables-pitr", List.of(r.recovery().snapshot(), r.dumpSnapshot()), Map.of("cluster", cluster,
            "target", r.recovery().target(), "database", rr.targetDatabase(), "tables", String.join(",", tables)));
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recovery", RestorePitrCommand.toMap(r.recovery()));
            m.put("dump_snapshot", r.dumpSnapshot());
            m.put("target_database", rr.targetDatabase());
            m.put("tables", rr.tables().stream().map(t -> Map.of("table", t.schema() + "." + t.table(), "status", t.status().name(),
                "rows", t.actualRows())).toList());
            m.put("warnings", rr.warnings());
            m.put("ok", rr.ok());
            root.printJson(m);
        } else {
            root.out.printf("Recovered:  %s (%s)%n", r.recovery().target(), r.recovery().stopLine());
            root.out.printf("Dump:       snapshot %s%n", r.dumpSnapshot().substring(0, 8));
            for (PostgresRestoreReport.TableResult t : rr.tables()) {
                root.out.printf("  %-40s %s (%d rows)%n", t.schema() + "." + t.table(), t.status(), t.actualRows());
            }
            rr.warnings().forEach(w -> root.out.println("  warning: " + w));
            root.out.println("restored into database " + rr.targetDatabase());
        }
        return rr.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
