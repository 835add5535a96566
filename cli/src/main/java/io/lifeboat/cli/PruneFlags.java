package io.lifeboat.cli;

import io.lifeboat.common.maintenance.MaintenanceLease;
import io.lifeboat.common.maintenance.PruneOptions;
import io.lifeboat.common.maintenance.PruneReport;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repository;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The prune flags shared by {@code prune} and {@code forget --prune}, and how a report is shown. */
final class PruneFlags {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "24h",
        description = "A pack stays a deletion candidate this long before a later run deletes it (e.g. 24h, 30m, 0s; default ${DEFAULT-VALUE}).")
    String grace;

    @Option(names = "--repack-threshold", paramLabel = "PERCENT", defaultValue = "20%",
        description = "Repack used packs with more than this share of unreferenced bytes (default ${DEFAULT-VALUE}; 100%% disables).")
    String repackThreshold;

    /** The lease settle wait; only tests of a single process shorten it. */
    @Option(names = "--lease-settle", paramLabel = "DURATION", defaultValue = "1s", hidden = true)
    String settle;

    PruneOptions options(boolean dryRun, String holder) {
        PruneOptions d = PruneOptions.defaults();
        Duration settleTime = duration("--lease-settle", settle);
        if (!settleTime.isZero() && settleTime.compareTo(MaintenanceLease.MAX_CLAIM_GAP) <= 0) {
            throw new CliException("--lease-settle needs 0s or more than " + MaintenanceLease.MAX_CLAIM_GAP.toMillis() + "ms, got '"
                + settle + "'", ExitCodes.USAGE);
        }
        return d.withGrace(duration("--grace", grace))
            .withRepackThreshold(percent("--repack-threshold", repackThreshold))
            .withLease(d.leaseDuration(), settleTime, null)
            .withDryRun(dryRun)
            .withHolder(holder);
    }

    /** Parses {@code 20%} (or {@code 20}) into a fraction in (0, 1]. */
    static double percent(String flag, String text) {
        String v = text == null ? "" : text.strip();
        if (v.endsWith("%")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            double d = Double.parseDouble(v) / 100.0;
            if (d > 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(flag + " needs a percentage above 0 and at most 100, such as 20%, got '" + text + "'",
            ExitCodes.USAGE);
    }

    /** Parses {@code 24h}, {@code 30m}, {@code 0s}, {@code 7d}, {@code 500ms}. */
    static Duration duration(String flag, String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CliException(flag + " needs a duration such as 24h, 30m or 0s, got '" + text + "'", ExitCodes.USAGE);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Maintenance works on the repository format itself, not on any {@link Repository}. */
    static PackRepository packRepository(Repository repo) {
        if (repo instanceof PackRepository p) {
            return p;
        }
        throw new CliException("this repository implementation does not support maintenance", ExitCodes.FAILURE);
    }

    static Map<String, Object> toJson(PruneReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dry_run", r.dryRun());
        m.put("token", r.token());
        m.put("snapshots", r.snapshots());
        m.put("referenced_blobs", r.referencedBlobs());
        m.put("packs", r.packs());
        m.put("packs_marked", r.marked());
        m.put("packs_unmarked", r.unmarked());
        m.put("packs_repacked", r.repacked());
        m.put("blobs_repacked", r.repackedBlobs());
        m.put("packs_deleted", r.deleted());
        m.put("freed_bytes", r.freedBytes());
        m.put("index_files_rewritten", r.indexFilesRewritten());
        m.put("waiting_for_grace", r.waitingForGrace());
        m.put("deferred_by_backups", r.deferredBySessions());
        m.put("retained_by_lock", r.retainedByLock());
        m.put("stale_sessions_removed", r.staleSessions());
        m.put("deleted_packs", r.deletedPacks());
        return m;
    }

    static void print(java.io.PrintStream out, PruneReport r) {
        String would = r.dryRun() ? "would be " : "";
        out.printf("%d snapshots, %d blobs referenced, %d packs%n", r.snapshots(), r.referencedBlobs(), r.packs());
        out.printf("candidates marked: %d packs %s(deleted by a later run after the grace period)%n", r.marked(),
            r.dryRun() ? "would be marked " : "");
        if (r.unmarked() > 0) {
            out.printf("candidates unmarked: %d packs (referenced again)%n", r.unmarked());
        }
        out.printf("packs repacked: %d (%d blobs copied)%s%n", r.repacked(), r.repackedBlobs(), r.dryRun() ? " [would]" : "");
        out.printf("packs deleted: %d, %sfreed %s (%d bytes)%n", r.deleted(), would, Format.bytes(r.freedBytes()), r.freedBytes());
        if (r.waitingForGrace() + r.deferredBySessions() + r.retainedByLock() > 0) {
            out.printf("kept for now: %d waiting for the grace period, %d deferred by running backups, %d retained by object lock%n",
                r.waitingForGrace(), r.deferredBySessions(), r.retainedByLock());
        }
        if (r.dryRun()) {
            out.println("dry run: nothing was changed");
        }
    }
}
