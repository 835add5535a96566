package io.lifeboat.cli;

import io.lifeboat.common.engine.postgres.physical.PointInTimeRestore;
import io.lifeboat.common.engine.postgres.physical.RecoveryTarget;
import io.lifeboat.common.engine.postgres.wal.Lsn;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The recovery target and where the recovered server runs; shared by restore-pitr and restore-tables-pitr. */
final class PitrOptions {
    @Option(names = "--time", paramLabel = "TIMESTAMP", description = "Recover to this time (ISO-8601 with offset, e.g. 2026-11-23T04:00:00Z).")
    String time;

    @Option(names = "--lsn", paramLabel = "X/Y", description = "Recover to right after this WAL position.")
    String lsn;

    @Option(names = "--xid", paramLabel = "XID", description = "Recover to right after this transaction commits.")
    Long xid;

    @Option(names = "--restore-point", paramLabel = "NAME", description = "Recover to this named restore point (pg_create_restore_point).")
    String restorePoint;

    @Option(names = "--latest", description = "Recover everything the archive holds (the default).")
    boolean latest;

    @Option(names = "--snapshot", paramLabel = "ID", description = "Base backup to start from (default: the newest that ends before the target).")
    String snapshot;

    @Option(names = "--port", paramLabel = "PORT", required = true, description = "Port of the recovered server.")
    int port;

    @Option(names = "--os-user", paramLabel = "USER",
        description = "Operating-system user that runs the server (default: the current user; 'postgres' when run as root).")
    String osUser;

    @Option(names = "--lifeboat", paramLabel = "PATH",
        description = "The lifeboat command restore_command runs (default: env LIFEBOAT_LAUNCHER, else 'lifeboat' on the PATH).")
    String lifeboat;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long recovery may take (default 3600).")
    long timeoutSeconds = 3600;

    RecoveryTarget target() {
        int given = (time != null ? 1 : 0) + (lsn != null ? 1 : 0) + (xid != null ? 1 : 0) + (restorePoint != null ? 1 : 0) + (latest ? 1 : 0);
        if (given > 1) {
            throw new CliException("give one of --time, --lsn, --xid, --restore-point or --latest", ExitCodes.USAGE);
        }
        try {
            if (time != null) {
                return new RecoveryTarget.Time(parseTime(time));
            }
            if (lsn != null) {
                return new RecoveryTarget.AtLsn(Lsn.parse(lsn));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
        if (xid != null) {
            return new RecoveryTarget.Xid(xid);
        }
        if (restorePoint != null) {
            return new RecoveryTarget.Name(restorePoint);
        }
        return new RecoveryTarget.Latest();
    }

    static Instant parseTime(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s.replace(' ', 'T')).toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("invalid --time '" + s + "': use ISO-8601 with an offset, e.g. 2026-11-23T04:00:00Z");
            }
        }
    }

    String osUser() {
        if (osUser != null) {
            return osUser;
        }
        return "root".equals(System.getProperty("user.name")) ? "postgres" : null;
    }

    /** restore_command: this lifeboat, this repository, this password file, this cluster. */
    String restoreCommand(LifeboatCli root, String cluster) {
        String cmd = lifeboat != null ? lifeboat : root.env.getOrDefault("LIFEBOAT_LAUNCHER", "lifeboat");
        List<String> parts = new ArrayList<>(List.of(quote(cmd), "--repo", quote(root.settings().location().toString())));
        Path pwFile = root.passwordFile != null ? root.passwordFile
            : root.env.get("LIFEBOAT_PASSWORD_FILE") != null ? Path.of(root.env.get("LIFEBOAT_PASSWORD_FILE")) : null;
        if (pwFile != null) {
            parts.add("--password-file");
            parts.add(quote(pwFile.toAbsolutePath().toString()));
        }
        if (root.config != null) {
            parts.add("--config");
            parts.add(quote(root.config.toAbsolutePath().toString()));
        }
        parts.addAll(List.of("--quiet", "wal-fetch", "--cluster", quote(cluster), "%f", "%p"));
        return String.join(" ", parts);
    }

    /** The repository settings restore_command finds in its environment (S3 endpoint and keys, config, password). */
    static Map<String, String> serverEnv(Map<String, String> env) {
        Map<String, String> m = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("LIFEBOAT_") || k.startsWith("AWS_")) {
                m.put(k, v);
            }
        });
        return m;
    }

    PointInTimeRestore.Request request(LifeboatCli root, String cluster, Path dataDir, String listen, boolean amcheck, boolean stopAfter) {
        return new PointInTimeRestore.Request(cluster, snapshot, target(), dataDir, port, listen, osUser(), restoreCommand(root, cluster),
            serverEnv(root.env), amcheck, Duration.ofSeconds(timeoutSeconds), stopAfter);
    }

    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./:@%=+-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }
}
