package io.lifeboat.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lifeboat.common.maintenance.StoredHolds;
import io.lifeboat.common.maintenance.HoldChecker;
import io.lifeboat.common.maintenance.Maintenance;
import io.lifeboat.common.maintenance.Prune;
import io.lifeboat.common.maintenance.PruneReport;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.retention.Hold;
import io.lifeboat.common.retention.RetentionEvaluator;
import io.lifeboat.common.retention.RetentionPlan;
import io.lifeboat.common.retention.RetentionPlanFormat;
import io.lifeboat.common.retention.RetentionPolicy;
import io.lifeboat.common.retention.RetentionPolicyException;
import io.lifeboat.common.retention.SnapshotRef;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "forget", description = {"Remove snapshots, named by id or chosen by a retention policy (docs/retention.md).",
    "Always prints the plan (what is kept and why, what is forgotten) before changing anything.",
    "Snapshots under a legal hold are never forgotten. Data is freed by prune (--prune runs it after)."})
final class ForgetCommand extends RepoCommand {
    @Parameters(paramLabel = "ID", arity = "0..*", description = "Snapshots to forget (id, unique prefix or latest).")
    List<String> ids = new ArrayList<>();

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest snapshots of each group.")
    String keepLast;
    @Option(names = "--keep-hourly", paramLabel = "N", description = "Keep the newest snapshot of each of the N newest hours (-1: all).")
    String keepHourly;
    @Option(names = "--keep-daily", paramLabel = "N", description = "The same per day.")
    String keepDaily;
    @Option(names = "--keep-weekly", paramLabel = "N", description = "The same per ISO week.")
    String keepWeekly;
    @Option(names = "--keep-monthly", paramLabel = "N", description = "The same per month.")
    String keepMonthly;
    @Option(names = "--keep-yearly", paramLabel = "N", description = "The same per year.")
    String keepYearly;
    @Option(names = "--keep-within", paramLabel = "DURATION", description = "Keep everything newer than the newest snapshot minus this, e.g. 7d, 1y2m.")
    String keepWithin;
    @Option(names = "--keep-tag", paramLabel = "TAG", description = "Keep every snapshot with this tag (repeatable: any of them).")
    List<String> keepTags = new ArrayList<>();
    @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone of hours, days, weeks... (default: the system zone).")
    String zone;
    @Option(names = "--group-by", paramLabel = "FIELDS", description = "Apply the policy per group: host,type,paths,tags (default host,type,paths; empty: one group).")
    String groupBy;
    @Option(names = "--allow-empty", description = "Allow a policy that keeps nothing (forgets every snapshot not held).")
    boolean allowEmpty;

    @Option(names = {"-n", "--dry-run"}, description = "Only print the plan; change nothing.")
    boolean dryRun;

    @Option(names = "--prune", description = "Run prune after forgetting.")
    boolean prune;

    @Mixin
    PruneFlags pruneFlags;

    /** Deletes: uses the maintenance credential where one is configured (docs/security.md). */
    @Override
    RepositoryBackend.Access access() {
        return new RepositoryBackend.Access(true, false);
    }

    @Override
    int run(Repository repo) {
        PackRepository p = PruneFlags.packRepository(repo);
        List<String> flags = policyFlags();
        if (flags.isEmpty() == ids.isEmpty()) {
            throw new CliException(flags.isEmpty() ? "forget needs snapshot ids or a policy (--keep-* flags)"
                : "give either snapshot ids or a policy, not both", ExitCodes.USAGE);
        }
        Instant now = p.clock().instant();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dry_run", dryRun);
        List<String> toForget;
        if (flags.isEmpty()) {
            toForget = byIds(p, now, json);
        } else {
            toForget = byPolicy(p, flags, now, json);
        }
        List<String> forgotten = List.of();
        List<Snapshot> before = p.snapshots();
        if (!dryRun && !toForget.isEmpty()) {
            forgotten = Maintenance.forget(p, toForget, actor()).forgotten().stream().map(s -> s.id().hex()).toList();
        }
        json.put("forgotten", forgotten);
        if (!root.json) {
            root.out.println(dryRun ? "dry run: would forget " + toForget.size() + " snapshot" + plural(toForget.size())
                + "; nothing was changed" : "forgot " + forgotten.size() + " snapshot" + plural(forgotten.size()));
        }
        List<Map<String, Object>> wal = WalExpiry.afterForget(root, p, before, dryRun ? toForget : forgotten, dryRun);
        if (!wal.isEmpty()) {
            json.put("wal", wal);
        }
        if (prune) {
            if (!root.json) {
                root.out.println();
                root.out.println("prune:");
            }
            PruneReport report = Prune.run(p, pruneFlags.options(dryRun, actor()));
            json.put("prune", PruneFlags.toJson(report));
            if (!root.json) {
                PruneFlags.print(root.out, report);
            }
        }
        if (root.json) {
            root.printJson(json);
        }
        return ExitCodes.OK;
    }

    private List<String> byPolicy(PackRepository p, List<String> flags, Instant now, Map<String, Object> json) {
        RetentionPolicy policy;
        try {
            policy = RetentionPolicy.fromFlags(flags, ZoneId.systemDefault());
        } catch (RetentionPolicyException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
        StoredHolds holds = StoredHolds.read(p.store());
        if (!holds.unreadable().isEmpty()) {
            throw new CliException("hold " + holds.unreadable().get(0) + " cannot be read, so it may protect any snapshot;"
                + " nothing was forgotten (fix or remove it: lifeboat hold remove " + holds.unreadable().get(0) + ")", ExitCodes.FAILURE);
        }
        List<SnapshotRef> refs = p.snapshots().stream().map(SnapshotRef::of).toList();
        RetentionPlan plan = RetentionEvaluator.evaluate(refs, policy, new HashSet<Hold>(holds.holds()), now);
        if (root.json) {
            try {
                json.put("plan", root.json().readTree(RetentionPlanFormat.json(plan)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            root.out.print(RetentionPlanFormat.table(plan));
            root.out.println();
        }
        return plan.toForget().stream().map(SnapshotRef::id).toList();
    }

    /** Named snapshots: the plan lists each; a held one makes the whole request fail before anything changes. */
    private List<String> byIds(PackRepository p, Instant now, Map<String, Object> json) {
        HoldChecker holds = HoldChecker.fromStore(p.store());
        List<String> chosen = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        String refusal = null;
        for (String id : ids) {
            Snapshot s = p.snapshot(id);
            Optional<String> hold = holds.holdOn(s, now);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", s.id().hex());
            row.put("time", s.time().toString());
            row.put("action", hold.isPresent() ? "keep" : "forget");
            row.put("reasons", hold.map(h -> List.of("hold " + h)).orElse(List.of()));
            rows.add(row);
            if (!root.json) {
                root.out.printf("%-8s  %-19s  %-6s  %s%n", s.id().shortHex(), Format.time(s.time()),
                    hold.isPresent() ? "keep" : "forget", hold.map(h -> "hold " + h).orElse(String.join(", ", s.paths())));
            }
            if (hold.isPresent() && refusal == null) {
                refusal = "snapshot " + s.id().shortHex() + " is under legal hold " + hold.get() + "; nothing was forgotten";
            }
            if (!chosen.contains(s.id().hex())) {
                chosen.add(s.id().hex());
            }
        }
        json.put("plan", Map.of("snapshots", rows));
        if (refusal != null) {
            if (root.json) {
                root.printJson(json);
            }
            throw new CliException(refusal, ExitCodes.FAILURE);
        }
        if (!root.json) {
            root.out.println();
        }
        return chosen;
    }

    private List<String> policyFlags() {
        List<String> f = new ArrayList<>();
        add(f, "--keep-last", keepLast);
        add(f, "--keep-hourly", keepHourly);
        add(f, "--keep-daily", keepDaily);
        add(f, "--keep-weekly", keepWeekly);
        add(f, "--keep-monthly", keepMonthly);
        add(f, "--keep-yearly", keepYearly);
        add(f, "--keep-within", keepWithin);
        keepTags.forEach(t -> add(f, "--keep-tag", t));
        boolean anyRule = !f.isEmpty() || allowEmpty;
        if (anyRule) {
            add(f, "--zone", zone);
            add(f, "--group-by", groupBy);
            if (allowEmpty) {
                f.add("--allow-empty");
            }
        } else if (zone != null || groupBy != null) {
            throw new CliException("--zone and --group-by need a policy (--keep-* flags)", ExitCodes.USAGE);
        }
        return f;
    }

    private static void add(List<String> flags, String flag, String value) {
        if (value != null) {
            flags.add(flag);
            flags.add(value);
        }
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
