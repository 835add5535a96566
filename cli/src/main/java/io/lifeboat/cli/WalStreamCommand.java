package io.lifeboat.cli;

import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.postgres.wal.Lsn;
import io.lifeboat.common.engine.postgres.wal.StreamerLockedException;
import io.lifeboat.common.engine.postgres.wal.StreamerStatus;
import io.lifeboat.common.engine.postgres.wal.WalArchiveSink;
import io.lifeboat.common.engine.postgres.wal.WalStreamer;
import io.lifeboat.common.engine.postgres.wal.WalStreamerOptions;
import io.lifeboat.common.repository.Repository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "wal-stream", description = {
    "Archive a PostgreSQL cluster's WAL continuously: pg_receivewal on a replication slot (created when missing)",
    "into a local spool; completed segments are uploaded within seconds, the segment being written at least every",
    "few seconds, and a status (timeline, last archived LSN, lag, slot retained bytes) every 5 s.",
    "Runs until interrupted (Ctrl-C, SIGTERM). Exactly one streamer per cluster: a second one exits with code 13.",
    "Needs a role with REPLICATION (pg_hba 'replication' line), wal_level = replica, and max_slot_wal_keep_size set",
    "(docs/postgresql.md). --synchronous with synchronous_standby_names = 'lifeboat_wal' makes commits wait for it.",
    "Example: PGPASSFILE=~/.pgpass lifeboat wal-stream --cluster main --dsn postgresql://archiver@db1/postgres"})
final class WalStreamCommand extends RepoCommand {
    @Mixin
    PgOptions pg;

    @Mixin
    WalOptions wal;

    @Option(names = "--spool", paramLabel = "DIR",
        description = "Local directory pg_receivewal writes into; keep it on persistent storage "
            + "(default: env LIFEBOAT_WAL_SPOOL, else ~/.cache/lifeboat/wal-spool/CLUSTER).")
    Path spool;

    @Option(names = "--slot", paramLabel = "NAME", description = "Physical replication slot (default: lifeboat_CLUSTER).")
    String slot;

    @Option(names = "--application-name", paramLabel = "NAME",
        description = "pg_receivewal's application_name, for synchronous_standby_names (default: lifeboat_wal).")
    String applicationName;

    @Option(names = "--synchronous", description = "Flush and acknowledge every write, so commits can wait for the archive "
        + "(needs the application name in synchronous_standby_names).")
    boolean synchronous;

    @Option(names = "--partial-interval", paramLabel = "SECONDS",
        description = "Upload the segment being written at least this often, 1 to 5 (default: 2).")
    int partialSeconds = 2;

    @Option(names = "--run-for", paramLabel = "SECONDS", hidden = true, description = "Stop after this many seconds (tests, bench).")
    Integer runFor;

    @Override
    int run(Repository repo) {
        String cluster = wal.cluster(root.env);
        if (partialSeconds < 1 || partialSeconds > 5) {
            throw new CliException("--partial-interval must be 1 to 5 seconds", ExitCodes.USAGE);
        }
        Path dir = spool != null ? spool : root.env.containsKey("LIFEBOAT_WAL_SPOOL") ? Path.of(root.env.get("LIFEBOAT_WAL_SPOOL"))
            : Path.of(System.getProperty("user.home"), ".cache", "lifeboat", "wal-spool", cluster);
        Path bin = pg.binDir != null ? pg.binDir : root.env.containsKey("LIFEBOAT_PG_BIN") ? Path.of(root.env.get("LIFEBOAT_PG_BIN")) : null;
        WalStreamerOptions options;
        try {
            options = WalStreamerOptions.defaults(cluster, dir)
                .withSlot(slot != null ? slot : WalStreamerOptions.defaultSlot(cluster))
                .withApplicationName(applicationName != null ? applicationName : "lifeboat_wal")
                .withSynchronous(synchronous).withPgBin(bin).withStreamerId(actor() + "/" + ProcessHandle.current().pid())
                .withIntervals(null, Duration.ofSeconds(partialSeconds), null);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
        WalStreamer streamer = new WalStreamer(pg.connection(root.env), options, new WalArchiveSink(repo, cluster), new Output());
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            streamer.stop();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "wal-stream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread timer = null;
        if (runFor != null) {
            timer = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(Duration.ofSeconds(runFor));
                } catch (InterruptedException e) {
                    return;
                }
                streamer.stop();
            });
        }
        try {
            streamer.run();
        } catch (StreamerLockedException e) {
            throw new CliException(e.getMessage(), ExitCodes.LOCKED);
        } catch (EngineException e) {
            throw new CliException(e.getMessage(), ExitCodes.FAILURE);
        } finally {
            done.countDown();
            if (timer != null) {
                timer.interrupt();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running and waits for us
            }
        }
        return ExitCodes.OK;
    }

    /** One line per event; with --json one JSON object per line. */
    private final class Output implements WalStreamer.Listener {
        @Override
        public void status(StreamerStatus s) {
            if (root.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("event", "status");
                m.putAll(s.toMap());
                root.printJson(m);
            } else if (!root.quiet) {
                root.out.printf("%s  timeline %d  archived to %s%s  lag %s  slot retains %s%s%n", Format.time(s.updatedAt()),
                    s.timeline(), new Lsn(s.lastArchivedLsn()),
                    s.archivedThrough() == null ? "" : " (commits through " + Format.time(s.archivedThrough()) + ")",
                    s.lagBytes() < 0 ? "?" : Format.bytes(s.lagBytes()),
                    s.slotRetainedBytes() < 0 ? "?" : Format.bytes(s.slotRetainedBytes()),
                    s.serverReachable() ? "" : "  (server unreachable)");
            }
            root.out.flush();
        }

        @Override
        public void uploaded(String fileName, int bytes, boolean partial) {
            if (root.json && !partial) {
                root.printJson(Map.of("event", "archived", "file", fileName, "bytes", bytes));
                root.out.flush();
            }
        }

        @Override
        public void warning(String message) {
            if (root.json) {
                root.printJson(Map.of("event", "warning", "message", message));
                root.out.flush();
            } else {
                root.err.println("lifeboat: warning: " + LifeboatCli.oneLine(message));
            }
        }

        @Override
        public void info(String message) {
            if (root.json) {
                root.printJson(Map.of("event", "info", "message", message));
                root.out.flush();
            } else if (!root.quiet) {
                root.out.println(message);
                root.out.flush();
            }
        }
    }
}
