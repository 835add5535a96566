package io.lifeboat.cli;

import io.lifeboat.common.engine.postgres.physical.BaseBackupInfo;
import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalGapReport;
import io.lifeboat.common.engine.postgres.wal.WalStatus;
import io.lifeboat.common.repository.Repository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "wal-verify", description = {
    "Check a cluster's WAL archive for gaps, per timeline and across timeline switches.",
    "Exit 0 when the chain is whole, 1 when segments are missing or a history file is absent."})
final class WalVerifyCommand extends RepoCommand {
    @Mixin
    WalOptions wal;

    @Override
    int run(Repository repo) {
        WalArchive archive = wal.open(repo, root.env);
        WalGapReport report = archive.verify();
        Optional<WalStatus> status = archive.readStatus();
        List<BaseBackupInfo> bases = BaseBackupInfo.list(repo, archive.cluster());
        Optional<BaseBackupInfo> oldest = bases.stream().findFirst();
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", report.cluster());
            m.put("ok", report.ok());
            List<Map<String, Object>> tls = new ArrayList<>();
            for (WalGapReport.Timeline t : report.timelines()) {
                Map<String, Object> tm = new LinkedHashMap<>();
                tm.put("timeline", t.timeline());
                tm.put("first_segment", t.firstSegment());
                tm.put("last_segment", t.lastSegment());
                tm.put("segments", t.segments());
                tm.put("partial", t.partial());
                tm.put("parent", t.parent());
                tm.put("switch_point", t.switchPoint());
                tls.add(tm);
            }
            m.put("timelines", tls);
            m.put("gaps", report.gaps().stream().map(g -> Map.of("timeline", g.timeline(), "first_missing", g.firstMissing(),
                "last_missing", g.lastMissing(), "count", g.count())).toList());
            m.put("problems", report.problems());
            m.put("base_backups", bases.size());
            oldest.ifPresent(b -> {
                m.put("earliest_recoverable_time", b.finished().toString());
                m.put("earliest_recoverable_lsn", b.stopLsn().toString());
            });
            status.ifPresent(s -> {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("timeline", s.timeline());
                sm.put("last_archived_lsn", s.lastArchivedLsn());
                sm.put("last_commit_time", s.lastCommitTime() == null ? null : s.lastCommitTime().toString());
                sm.put("lag_bytes", s.lagBytes());
                sm.put("slot_retained_bytes", s.slotRetainedBytes());
                sm.put("updated_at", s.updatedAt() == null ? null : s.updatedAt().toString());
                sm.put("streamer", s.streamerId());
                m.put("status", sm);
            });
            root.printJson(m);
        } else {
            root.out.println("WAL archive of cluster " + report.cluster() + ":");
            if (report.timelines().isEmpty()) {
                root.out.println("  (empty)");
            }
            for (WalGapReport.Timeline t : report.timelines()) {
                root.out.printf("  timeline %d: %d segments %s .. %s%s%s%n", t.timeline(), t.segments(),
                    t.firstSegment() == null ? "-" : t.firstSegment(), t.lastSegment() == null ? "-" : t.lastSegment(),
                    t.partial() == null ? "" : " + partial " + t.partial(),
                    t.parent() == 0 ? "" : " (from timeline " + t.parent() + " at " + t.switchPoint() + ")");
            }
            for (WalGapReport.Gap g : report.gaps()) {
                root.out.printf("  GAP on timeline %d: %d segment(s) missing, %s .. %s%n", g.timeline(), g.count(), g.firstMissing(),
                    g.lastMissing());
            }
            for (String p : report.problems()) {
                root.out.println("  PROBLEM: " + p);
            }
            status.ifPresent(s -> root.out.printf("  streamer %s: timeline %d, archived to %s, lag %s, updated %s%n", s.streamerId(),
                s.timeline(), s.lastArchivedLsn(), Format.bytes(s.lagBytes()), s.updatedAt() == null ? "-" : Format.time(s.updatedAt())));
            root.out.println(oldest.map(b -> "  earliest recoverable point: " + Format.time(b.finished()) + " (" + b.stopLsn()
                + ", end of base backup " + b.snapshot().id().shortHex() + "; " + bases.size() + " base backup(s))")
                .orElse("  no base backup of this cluster: nothing to recover from yet"));
            root.out.println(report.ok() ? "no gaps" : "the WAL chain has gaps: point-in-time recovery cannot cross them");
        }
        return report.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
