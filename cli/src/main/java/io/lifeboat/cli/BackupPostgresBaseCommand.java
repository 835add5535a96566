package io.lifeboat.cli;

import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.BackupSummary;
import io.lifeboat.common.engine.postgres.physical.BaseBackupInfo;
import io.lifeboat.common.engine.postgres.physical.PostgresBaseBackupSource;
import io.lifeboat.common.repository.Repository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup-postgres-base", description = {
    "Physical base backup of a whole PostgreSQL cluster (pg_basebackup -D - -Ft), streamed into the repository.",
    "With the cluster's WAL archive (wal-push / wal-stream) it is the starting point of restore-pitr.",
    "--wal auto (default): -X none when the repository already holds WAL of the cluster (the archive carries it,",
    "and PostgreSQL makes pg_basebackup wait until it does), else -X fetch (the backup restores on its own).",
    "The role needs the REPLICATION attribute. Tablespaces outside the data directory are refused.",
    "Example: lifeboat backup-postgres-base --cluster main --dsn postgresql://backup@db1/postgres"})
final class BackupPostgresBaseCommand extends RepoCommand {
    @Mixin
    PgOptions pg;

    @Mixin
    WalOptions wal;

    @Option(names = "--wal", paramLabel = "MODE", description = "auto, fetch or none (see above).")
    String walMode = "auto";

    @Mixin
    StreamBackupOptions backup;

    @Override
    int run(Repository repo) {
        String cluster = wal.cluster(root.env);
        PostgresBaseBackupSource.WalMode mode = switch (walMode.toLowerCase(Locale.ROOT)) {
            case "fetch" -> PostgresBaseBackupSource.WalMode.FETCH;
            case "none" -> PostgresBaseBackupSource.WalMode.NONE;
            case "auto" -> wal.open(repo, root.env).list().isEmpty() ? PostgresBaseBackupSource.WalMode.FETCH
                : PostgresBaseBackupSource.WalMode.NONE;
            default -> throw new CliException("--wal must be auto, fetch or none", ExitCodes.USAGE);
        };
        PostgresBaseBackupSource source = new PostgresBaseBackupSource(pg.connection(root.env), pg.tools(), cluster, mode,
            root.backend.chunker(repo.chunkerParams()));
        BackupOptions options = backup.options();
        BackupResult result;
        try (ProgressReporter progress = ProgressReporter.create("base backup", root.err, root.quiet || root.json)) {
            result = source.backup(repo, options, progress);
        }
        BackupSummary s = result.summary();
        BaseBackupInfo info = BaseBackupInfo.of(result.snapshot());
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("snapshot", result.snapshot().id().hex());
            m.put("source_type", result.snapshot().sourceType());
            m.put("cluster", cluster);
            m.put("timeline", info.timeline());
            m.put("start_lsn", info.startLsn().toString());
            m.put("stop_lsn", info.stopLsn().toString());
            m.put("start_segment", info.startSegment());
            m.put("wal_mode", info.walMode());
            m.putAll(s.toMap());
            root.printJson(m);
        } else {
            root.out.printf("Cluster:    %s, timeline %d, WAL %s .. %s (-X %s)%n", cluster, info.timeline(), info.startLsn(), info.stopLsn(),
                info.walMode());
            root.out.printf("Added:      %s in %d new blobs (before compression)%n", Format.bytes(s.bytesAdded()), s.blobsAdded());
            root.out.printf("Processed:  %s in %s%n", Format.bytes(s.bytesTotal()), Format.duration(s.elapsed().toSeconds()));
            root.out.println("snapshot " + result.snapshot().id().shortHex() + " saved");
        }
        return ExitCodes.OK;
    }
}
