package io.lifeboat.cli;

import io.lifeboat.common.engine.postgres.physical.PitrRetention;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * forget's WAL step: when the snapshots forgotten include PostgreSQL base backups, each affected
 * cluster's WAL archive loses the WAL that only those backups needed, and the new earliest recoverable
 * point is printed, so it never moves without the operator seeing it.
 */
final class WalExpiry {
    private WalExpiry() {
    }

    /**
     * @param forgotten ids (hex) forgotten, or to be forgotten in a dry run
     * @return one JSON-ready entry per affected cluster
     */
    static List<Map<String, Object>> afterForget(LifeboatCli root, Repository repo, List<Snapshot> before, List<String> forgotten,
            boolean dryRun) {
        Set<String> gone = new HashSet<>(forgotten);
        List<Snapshot> forgottenSnaps = before.stream().filter(s -> gone.contains(s.id().hex())).toList();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String cluster : PitrRetention.clustersOf(forgottenSnaps)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", cluster);
            try {
                PitrRetention.Outcome o = PitrRetention.apply(repo, cluster, gone, dryRun);
                m.put("expired_wal_files", o.expired().size());
                m.put("retained_by_lock", o.retainedByLock().size());
                m.put("earliest_recoverable", o.earliestRecoverable().map(WalStatusCommand::pointMap).orElse(null));
                if (!root.json) {
                    printRetained(root, o);
                    root.out.printf("WAL of cluster %s: %s %d file(s) only the forgotten base backup(s) needed; %s%n", cluster,
                        dryRun ? "would expire" : "expired", o.expired().size(), o.earliestRecoverable()
                            .map(b -> "earliest recoverable point " + (dryRun ? "would be " : "is now ") + Format.time(b.finished())
                                + " (" + b.stopLsn() + ", base backup " + b.snapshot().id().shortHex() + ")")
                            .orElse("no base backup is left, so all WAL is kept and nothing is recoverable from this repository"));
                }
            } catch (RuntimeException e) {
                m.put("error", e.getMessage());
                root.err.println("lifeboat: warning: WAL of cluster " + cluster + " was not expired: " + LifeboatCli.oneLine(e.getMessage()));
            }
            out.add(m);
        }
        return out;
    }

    /**
     * prune's WAL step: every cluster with a base backup in the repository loses the WAL before its
     * oldest base backup (WAL that forget would have expired, left behind when base backups were
     * forgotten without forget's WAL step). Prints only clusters where something was (or would be)
     * expired or kept by Object Lock.
     *
     * @return one JSON-ready entry per cluster with base backups
     */
    static List<Map<String, Object>> afterPrune(LifeboatCli root, Repository repo, boolean dryRun) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<PitrRetention.Outcome> outcomes;
        try {
            outcomes = PitrRetention.applyAll(repo, dryRun);
        } catch (RuntimeException e) {
            root.err.println("lifeboat: warning: WAL was not expired: " + LifeboatCli.oneLine(e.getMessage()));
            out.add(Map.of("error", String.valueOf(e.getMessage())));
            return out;
        }
        for (PitrRetention.Outcome o : outcomes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", o.cluster());
            m.put("expired_wal_files", o.expired().size());
            m.put("retained_by_lock", o.retainedByLock().size());
            m.put("earliest_recoverable", o.earliestRecoverable().map(WalStatusCommand::pointMap).orElse(null));
            out.add(m);
            if (!root.json && !o.expired().isEmpty()) {
                root.out.printf("WAL of cluster %s: %s %d file(s) older than its oldest base backup %s%n", o.cluster(),
                    dryRun ? "would expire" : "expired", o.expired().size(),
                    o.earliestRecoverable().map(b -> b.snapshot().id().shortHex()).orElse("?"));
            }
            if (!root.json) {
                printRetained(root, o);
            }
        }
        return out;
    }

    private static void printRetained(LifeboatCli root, PitrRetention.Outcome o) {
        if (!o.retainedByLock().isEmpty()) {
            root.out.printf("WAL of cluster %s: kept %d file(s) due to expire that are still under Object Lock retention;"
                + " a later forget or prune deletes them%n", o.cluster(), o.retainedByLock().size());
        }
    }
}
