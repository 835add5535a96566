package io.lifeboat.cli;

import io.lifeboat.common.engine.postgres.physical.BaseBackupInfo;
import io.lifeboat.common.engine.postgres.physical.PitrRetention;
import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalRetention;
import io.lifeboat.common.engine.postgres.wal.WalSegmentRef;
import io.lifeboat.common.repository.Repository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "wal-expire", description = {
    "Delete the WAL that only forgotten base backups needed: every segment positioned before the first segment",
    "of the oldest base backup of the cluster still in the repository (run it after forget). Timeline history",
    "files stay. The earliest recoverable point is the end of that base backup and is printed; it moves only",
    "when forget removed older base backups, never by this command. Needs delete permission on the store."})
final class WalExpireCommand extends RepoCommand {
    @Mixin
    WalOptions wal;

    @Option(names = "--dry-run", description = "Only show what would be deleted.")
    boolean dryRun;

    @Override
    int run(Repository repo) {
        String cluster = wal.cluster(root.env);
        List<BaseBackupInfo> bases = BaseBackupInfo.list(repo, cluster);
        if (bases.isEmpty()) {
            throw new CliException("no base backup of cluster '" + cluster + "' in the repository: nothing anchors the WAL, "
                + "so none is deleted", ExitCodes.FAILURE);
        }
        WalArchive archive = wal.open(repo, root.env, bases.get(0).segmentSize());
        List<WalSegmentRef> archived = archive.list();
        WalRetention.Plan plan = WalRetention.plan(bases.stream().map(PitrRetention::ref).toList(),
            archived.stream().map(WalSegmentRef::fileName).toList(), archive.segmentSize());
        String oldestId = plan.earliestRecoverable().orElseThrow().snapshotId();
        BaseBackupInfo oldest = bases.stream().filter(b -> b.snapshot().id().hex().equals(oldestId)).findFirst().orElseThrow();
        List<WalSegmentRef> due = WalRetention.expired(plan, archived);
        // Files still under Object Lock retention stay (and are reported); a dry run asks the same.
        List<String> retained = due.isEmpty() ? List.of() : archive.deleteSegments(due, dryRun).retainedByLock();
        List<WalSegmentRef> old = due.stream().filter(r -> !retained.contains(r.fileName())).toList();
        long bytes = old.stream().mapToLong(WalSegmentRef::size).sum();
        if (!dryRun && !old.isEmpty()) {
            journal(repo, "wal-expire", List.of(), Map.of("cluster", cluster, "before", oldest.startSegment(),
                "segments", Integer.toString(old.size()), "bytes", Long.toString(bytes)));
        }
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", cluster);
            m.put("dry_run", dryRun);
            m.put("kept_from_segment", oldest.startSegment());
            m.put("segments_deleted", old.size());
            m.put("bytes_deleted", bytes);
            m.put("retained_by_lock", retained);
            m.put("earliest_recoverable_time", oldest.finished().toString());
            m.put("earliest_recoverable_lsn", oldest.stopLsn().toString());
            m.put("oldest_base_backup", oldest.snapshot().id().hex());
            root.printJson(m);
        } else {
            root.out.printf("%s %d WAL segment(s), %s, before %s (first segment of base backup %s)%n", dryRun ? "Would delete" : "Deleted",
                old.size(), Format.bytes(bytes), oldest.startSegment(), oldest.snapshot().id().shortHex());
            if (!retained.isEmpty()) {
                root.out.printf("Kept %d WAL file(s) still under object lock retention%n", retained.size());
            }
            root.out.printf("Earliest recoverable point: %s (%s)%n", Format.time(oldest.finished()), oldest.stopLsn());
        }
        return ExitCodes.OK;
    }
}
