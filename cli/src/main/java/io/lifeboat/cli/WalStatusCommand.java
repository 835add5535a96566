package io.lifeboat.cli;

import io.lifeboat.common.engine.postgres.physical.BaseBackupInfo;
import io.lifeboat.common.engine.postgres.physical.PitrRetention;
import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalSegmentRef;
import io.lifeboat.common.engine.postgres.wal.WalStatus;
import io.lifeboat.common.repository.Repository;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "wal-status", description = {
    "Show a cluster's continuous archiving: the streamer's last status (timeline, last archived LSN and the time",
    "commits are archived through, lag, slot retained bytes), the WAL held, and the recoverable window: from the",
    "end of the oldest base backup to the last archived WAL. Read-only."})
final class WalStatusCommand extends RepoCommand {
    @Mixin
    WalOptions wal;

    @Override
    int run(Repository repo) {
        String cluster = wal.cluster(root.env);
        List<BaseBackupInfo> backups = BaseBackupInfo.list(repo, cluster);
        WalArchive archive = backups.isEmpty() ? wal.open(repo, root.env) : wal.open(repo, root.env, backups.get(0).segmentSize());
        Optional<WalStatus> status = archive.readStatus();
        List<WalSegmentRef> segments = archive.list();
        PitrRetention.Outcome plan = PitrRetention.apply(repo, cluster, Set.of(), true);
        Instant now = Instant.now();
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", cluster);
            m.put("status", status.map(WalStatusCommand::statusMap).orElse(null));
            m.put("status_age_seconds", status.map(s -> s.updatedAt() == null ? null : Duration.between(s.updatedAt(), now).toSeconds())
                .orElse(null));
            m.put("segments", segments.stream().filter(s -> !s.partial()).count());
            m.put("first_segment", segments.isEmpty() ? null : segments.get(0).fileName());
            m.put("last_segment", segments.isEmpty() ? null : segments.get(segments.size() - 1).fileName());
            m.put("base_backups", backups.size());
            m.put("earliest_recoverable", plan.earliestRecoverable().map(WalStatusCommand::pointMap).orElse(null));
            m.put("latest_recoverable", status.map(s -> Map.of("lsn", s.lastArchivedLsn(),
                "commits_through", s.lastCommitTime() == null ? "" : s.lastCommitTime().toString())).orElse(null));
            m.put("expirable_segments", plan.expired().size());
            root.printJson(m);
            return ExitCodes.OK;
        }
        root.out.println("cluster " + cluster + ":");
        if (status.isEmpty()) {
            root.out.println("  streamer:   no status written (is wal-stream running?)");
        } else {
            WalStatus s = status.get();
            root.out.printf("  streamer:   %s, updated %s (%ss ago)%n", s.streamerId(), s.updatedAt() == null ? "-" : Format.time(s.updatedAt()),
                s.updatedAt() == null ? "?" : Duration.between(s.updatedAt(), now).toSeconds());
            root.out.printf("  archived:   timeline %d to %s%s%n", s.timeline(), s.lastArchivedLsn(),
                s.lastCommitTime() == null ? "" : ", commits through " + Format.time(s.lastCommitTime()));
            root.out.printf("  lag:        %s; the slot retains %s on the server%n", s.lagBytes() < 0 ? "unknown" : Format.bytes(s.lagBytes()),
                s.slotRetainedBytes() < 0 ? "unknown" : Format.bytes(s.slotRetainedBytes()));
        }
        root.out.printf("  WAL held:   %d segments%s%n", segments.stream().filter(x -> !x.partial()).count(),
            segments.isEmpty() ? "" : ", " + segments.get(0).fileName() + " .. " + segments.get(segments.size() - 1).fileName());
        root.out.printf("  recoverable from: %s%n", plan.earliestRecoverable()
            .map(b -> Format.time(b.finished()) + " (" + b.stopLsn() + ", end of base backup " + b.snapshot().id().shortHex() + ")")
            .orElse("nothing: no base backup of this cluster in the repository"));
        if (!plan.expired().isEmpty()) {
            root.out.printf("  %d WAL file(s) precede the oldest base backup; forget expires them%n", plan.expired().size());
        }
        return ExitCodes.OK;
    }

    static Map<String, Object> statusMap(WalStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timeline", s.timeline());
        m.put("last_archived_lsn", s.lastArchivedLsn());
        m.put("last_commit_time", s.lastCommitTime() == null ? null : s.lastCommitTime().toString());
        m.put("lag_bytes", s.lagBytes());
        m.put("slot_retained_bytes", s.slotRetainedBytes());
        m.put("updated_at", s.updatedAt() == null ? null : s.updatedAt().toString());
        m.put("streamer", s.streamerId());
        return m;
    }

    static Map<String, Object> pointMap(BaseBackupInfo b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", b.finished().toString());
        m.put("lsn", b.stopLsn().toString());
        m.put("timeline", b.timeline());
        m.put("base_backup", b.snapshot().id().hex());
        return m;
    }
}
