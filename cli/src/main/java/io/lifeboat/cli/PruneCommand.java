package io.lifeboat.cli;

import io.lifeboat.common.maintenance.Prune;
import io.lifeboat.common.maintenance.PruneReport;
import io.lifeboat.common.repository.Repository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prune", description = {"Delete data no snapshot references any more, in two phases:",
    "unreferenced packs become candidates, and a later run deletes them once the grace period has passed.",
    "Only one maintenance run at a time: if another holds the repository, this one stops at once.",
    "Then the WAL archive of each PostgreSQL cluster with base backups loses the WAL before its oldest base backup."})
final class PruneCommand extends RepoCommand {
    @Option(names = "--dry-run", description = "Report what would happen; change nothing (takes no lease).")
    boolean dryRun;

    @Mixin
    PruneFlags flags;

    /** Deletes: uses the maintenance credential where one is configured (docs/security.md). */
    @Override
    RepositoryBackend.Access access() {
        return new RepositoryBackend.Access(true, false);
    }

    @Override
    int run(Repository repo) {
        PruneReport report = Prune.run(PruneFlags.packRepository(repo), flags.options(dryRun, actor()));
        if (!root.json) {
            PruneFlags.print(root.out, report);
        }
        // WAL whose base backups are gone (forgotten without forget's WAL step) goes too; docs/postgresql.md, Retention.
        List<Map<String, Object>> wal = WalExpiry.afterPrune(root, repo, dryRun);
        if (root.json) {
            Map<String, Object> json = new LinkedHashMap<>(PruneFlags.toJson(report));
            if (!wal.isEmpty()) {
                json.put("wal", wal);
            }
            root.printJson(json);
        }
        return ExitCodes.OK;
    }
}
