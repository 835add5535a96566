package io.lifeboat.cli;

import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.maintenance.StoredHolds;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.retention.Hold;
import io.lifeboat.common.retention.HoldCodec;
import io.lifeboat.common.retention.HoldTarget;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectKind;
import io.lifeboat.common.store.PutOptions;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hold add|remove|list}: legal holds stored as {@code holds/<id>} objects ({@link HoldCodec}),
 * which forget and the catalog honour. The subcommands are methods so they share the repository
 * handling of {@link RepoCommand} (each records what to do, then opens the repository).
 */
@Command(name = "hold", description = {"Manage legal holds: a held snapshot is never forgotten, whatever the policy."})
final class HoldCommand extends RepoCommand {
    private ToIntFunction<Repository> action;
    private boolean removing;

    /** Removing a hold deletes: it uses the maintenance credential where one is configured. */
    @Override
    RepositoryBackend.Access access() {
        return new RepositoryBackend.Access(removing, false);
    }

    static final class Target {
        @Option(names = "--snapshot", paramLabel = "ID", required = true, description = "Hold one snapshot (id, prefix or latest).")
        String snapshot;

        @Option(names = "--tag", paramLabel = "TAG", required = true, description = "Hold every snapshot with this tag, also ones tagged later.")
        String tag;
    }

    @Command(name = "add", description = "Put a snapshot or a tag under a legal hold.")
    int add(@ArgGroup(exclusive = true, multiplicity = "1") Target target,
            @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (shown in plans and hold list).") String reason,
            @Option(names = "--id", paramLabel = "ID", description = "The hold's id, e.g. LEGAL-42 (default: a generated one).") String id,
            @Option(names = "--expires", paramLabel = "DATE",
                description = "Stop protecting at this date (start of day, local zone) or ISO-8601 instant; default never.") String expires)
            throws Exception {
        action = repo -> add(repo, target, reason, id, expires);
        return call();
    }

    @Command(name = "remove", description = "Remove a legal hold.")
    int remove(@Parameters(paramLabel = "ID", description = "The hold's id.") String id) throws Exception {
        action = repo -> remove(repo, id);
        removing = true;
        return call();
    }

    @Command(name = "list", description = "List legal holds.")
    int list() throws Exception {
        action = this::list;
        return call();
    }

    @Override
    void checkArguments() {
        if (action == null) {
            throw new CliException("hold needs a subcommand: add, remove or list", ExitCodes.USAGE);
        }
    }

    @Override
    int run(Repository repo) {
        return action.applyAsInt(repo);
    }

    private int add(Repository repo, Target target, String reason, String id, String expires) {
        PackRepository p = PruneFlags.packRepository(repo);
        Instant now = p.clock().instant();
        String holdId = id != null ? id : "hold-" + HexFormat.of().formatHex(AesGcm.randomBytes(4));
        HoldTarget t = target.snapshot != null
            ? new HoldTarget.OnSnapshot(repo.snapshot(target.snapshot).id().hex())
            : new HoldTarget.OnTag(target.tag);
        Hold hold;
        try {
            hold = new Hold(holdId, reason, actor(), now, t, expires == null ? null : expiry(expires));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
        String key = RepositoryLayout.hold(holdId);
        if (p.store().exists(key)) {
            throw new CliException("hold " + holdId + " already exists; remove it first or choose another --id", ExitCodes.FAILURE);
        }
        p.store().put(key, HoldCodec.encode(hold), PutOptions.of(ObjectKind.METADATA));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("target", t.toString());
        details.put("reason", reason);
        details.put("expires", hold.expiresAt() == null ? "never" : hold.expiresAt().toString());
        journal(repo, "hold-add", List.of(key), details);
        if (root.json) {
            root.printJson(toJson(hold, now));
        } else {
            root.out.println("added hold " + holdId + " on " + t
                + (hold.expiresAt() == null ? "" : " until " + hold.expiresAt()));
        }
        return ExitCodes.OK;
    }

    private int remove(Repository repo, String id) {
        PackRepository p = PruneFlags.packRepository(repo);
        try {
            new Hold(id, "", "", Instant.EPOCH, new HoldTarget.OnTag("any"), null); // checks the id is a valid name
        } catch (IllegalArgumentException e) {
            throw new CliException("no hold " + id + ": " + e.getMessage(), ExitCodes.USAGE);
        }
        String key = RepositoryLayout.hold(id);
        Hold hold;
        try {
            hold = HoldCodec.decode(p.store().get(key), id);
        } catch (ObjectNotFoundException e) {
            throw new CliException("no hold " + id + " (see lifeboat hold list)", ExitCodes.FAILURE);
        } catch (RepositoryException e) {
            hold = null; // an unreadable hold may still be removed; that is how it gets repaired
        }
        p.store().delete(key);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("target", hold == null ? "unreadable" : hold.target().toString());
        details.put("reason", hold == null ? "" : hold.reason());
        journal(repo, "hold-remove", List.of(key), details);
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("removed", id);
            root.printJson(m);
        } else {
            root.out.println("removed hold " + id);
        }
        return ExitCodes.OK;
    }

    private int list(Repository repo) {
        PackRepository p = PruneFlags.packRepository(repo);
        Instant now = p.clock().instant();
        StoredHolds all = StoredHolds.read(p.store());
        if (root.json) {
            List<Map<String, Object>> list = new ArrayList<>();
            all.holds().forEach(h -> list.add(toJson(h, now)));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("holds", list);
            m.put("unreadable", all.unreadable());
            root.printJson(m);
        } else {
            root.out.printf("%-20s  %-8s  %-30s  %-20s  %-16s  %s%n", "ID", "STATE", "TARGET", "EXPIRES", "BY", "REASON");
            for (Hold h : all.holds()) {
                root.out.printf("%-20s  %-8s  %-30s  %-20s  %-16s  %s%n", h.id(), h.isActiveAt(now) ? "active" : "expired",
                    h.target(), h.expiresAt() == null ? "never" : h.expiresAt(), h.createdBy(), h.reason());
            }
            for (String id : all.unreadable()) {
                root.out.println("warning: hold " + id + " cannot be read; until it is removed forget refuses everything");
            }
            root.out.println(all.holds().size() + " hold" + (all.holds().size() == 1 ? "" : "s"));
        }
        return ExitCodes.OK;
    }


    static Instant expiry(String text) {
        try {
            return LocalDate.parse(text.strip()).atStartOfDay(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeException e) {
            try {
                return Instant.parse(text.strip());
            } catch (DateTimeException e2) {
                throw new CliException("--expires needs a date such as 2027-01-01 or an instant such as 2027-01-01T00:00:00Z, got '"
                    + text + "'", ExitCodes.USAGE);
            }
        }
    }

    private static Map<String, Object> toJson(Hold h, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", h.id());
        m.put("active", h.isActiveAt(now));
        m.put("target_type", h.target() instanceof HoldTarget.OnSnapshot ? "snapshot" : "tag");
        m.put("target", h.target() instanceof HoldTarget.OnSnapshot s ? s.snapshotId() : ((HoldTarget.OnTag) h.target()).tag());
        m.put("reason", h.reason());
        m.put("created_by", h.createdBy());
        m.put("created_at", h.createdAt().toString());
        m.put("expires_at", h.expiresAt() == null ? null : h.expiresAt().toString());
        return m;
    }
}
