package io.lifeboat.cli;

import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalNames;
import io.lifeboat.common.repository.Repository;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which cluster's WAL archive a command uses; shared by the WAL and point-in-time commands. */
final class WalOptions {
    @Option(names = "--cluster", paramLabel = "NAME",
        description = "Name of the database cluster's WAL archive in the repository (env LIFEBOAT_PG_CLUSTER).")
    String cluster;

    @Option(names = "--wal-segment-size", paramLabel = "BYTES",
        description = "WAL segment size of the cluster (initdb --wal-segsize), default 16777216.")
    Long segmentSize;

    String cluster(Map<String, String> env) {
        String c = cluster != null && !cluster.isBlank() ? cluster : env.get("LIFEBOAT_PG_CLUSTER");
        if (c == null || c.isBlank()) {
            throw new CliException("no cluster given: pass --cluster NAME or set LIFEBOAT_PG_CLUSTER", ExitCodes.USAGE);
        }
        return c.strip();
    }

    WalArchive open(Repository repo, Map<String, String> env) {
        return open(repo, env, segmentSize == null ? WalNames.DEFAULT_SEGMENT_SIZE : segmentSize);
    }

    WalArchive open(Repository repo, Map<String, String> env, long size) {
        try {
            return WalArchive.open(repo, cluster(env), size);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
    }
}
