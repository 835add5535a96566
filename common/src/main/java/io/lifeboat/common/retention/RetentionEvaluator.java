package io.lifeboat.common.retention;

import io.lifeboat.common.retention.KeepReason.Rule;
import io.lifeboat.common.retention.RetentionPlan.Action;
import io.lifeboat.common.retention.RetentionPlan.Decision;
import io.lifeboat.common.retention.RetentionPlan.GroupPlan;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Applies a {@link RetentionPolicy} to snapshots: the single implementation of GFS retention.
 *
 * <p>Per group, snapshots are sorted newest first (ties by id, so the outcome never depends on
 * input order). Each period rule keeps the newest snapshot of each distinct period (hour, day,
 * ISO week, month, year on the wall clock of the policy's zone) until it has kept as many
 * periods as its count (-1: all periods); {@code keepLast} keeps the newest N;
 * {@code keepWithin} keeps everything strictly newer than the group's newest snapshot (ignoring
 * snapshots dated after {@code now}) minus the window; {@code keepTags} keeps every snapshot with
 * one of the tags. Rules add up: a snapshot is kept when any rule or any active hold keeps it.
 * Holds are checked last and can only add, so nothing held is ever forgotten.
 *
 * <p>Stateless and thread-safe; a pure function of its arguments.
 */
public final class RetentionEvaluator {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mmxxx");
    private static final Comparator<SnapshotRef> NEWEST_FIRST =
        Comparator.comparing(SnapshotRef::time).reversed().thenComparing(SnapshotRef::id);

    private RetentionEvaluator() {
    }

    /**
     * Evaluates the policy.
     *
     * @param snapshots all snapshots the policy applies to, in any order
     * @param holds every hold known; expired ones ({@link Hold#isActiveAt}) are ignored
     * @param now the current instant: for hold expiry and as the upper bound of the within anchor
     * @throws IllegalArgumentException when two snapshots share an id
     */
    public static RetentionPlan evaluate(List<SnapshotRef> snapshots, RetentionPolicy policy,
                                         Set<Hold> holds, Instant now) {
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(holds, "holds");
        Objects.requireNonNull(now, "now");
        Set<String> ids = new HashSet<>();
        Map<SnapshotGroup, List<SnapshotRef>> byGroup = new LinkedHashMap<>();
        for (SnapshotRef s : snapshots) {
            if (!ids.add(s.id())) {
                throw new IllegalArgumentException("snapshot " + s.id() + " is listed twice");
            }
            byGroup.computeIfAbsent(SnapshotGroup.of(s, policy.groupBy()), g -> new ArrayList<>()).add(s);
        }
        List<Hold> activeHolds = holds.stream()
            .filter(h -> h.isActiveAt(now))
            .sorted(Comparator.comparing(Hold::id))
            .toList();
        List<GroupPlan> groups = new ArrayList<>();
        byGroup.forEach((group, members) -> groups.add(evaluateGroup(group, members, policy, activeHolds, now)));
        groups.sort(Comparator.comparing((GroupPlan g) -> g.group().toString()));
        return new RetentionPlan(policy, now, groups);
    }

    private static GroupPlan evaluateGroup(SnapshotGroup group, Collection<SnapshotRef> members,
                                           RetentionPolicy p, List<Hold> holds, Instant now) {
        List<SnapshotRef> sorted = members.stream().sorted(NEWEST_FIRST).toList();
        List<List<KeepReason>> reasons = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            reasons.add(new ArrayList<>());
        }
        ZoneId zone = p.zone();

        if (p.keepLast() != 0) {
            for (int i = 0; i < sorted.size() && (p.keepLast() == -1 || i < p.keepLast()); i++) {
                reasons.get(i).add(new KeepReason(Rule.LAST, "last " + (i + 1)));
            }
        }
        periodRule(sorted, reasons, p.keepHourly(), Rule.HOURLY,
            t -> HOUR.format(t.atZone(zone).truncatedTo(ChronoUnit.HOURS)));
        periodRule(sorted, reasons, p.keepDaily(), Rule.DAILY, t -> t.atZone(zone).toLocalDate().toString());
        periodRule(sorted, reasons, p.keepWeekly(), Rule.WEEKLY, t -> isoWeek(t.atZone(zone)));
        periodRule(sorted, reasons, p.keepMonthly(), Rule.MONTHLY, t -> YearMonth.from(t.atZone(zone)).toString());
        periodRule(sorted, reasons, p.keepYearly(), Rule.YEARLY, t -> Integer.toString(t.atZone(zone).getYear()));

        if (!p.keepWithin().isZero() && !sorted.isEmpty()) {
            Instant anchor = sorted.stream().map(SnapshotRef::time).filter(t -> !t.isAfter(now)).findFirst()
                .orElse(now);
            Instant threshold = p.keepWithin().threshold(anchor, zone);
            for (int i = 0; i < sorted.size() && sorted.get(i).time().isAfter(threshold); i++) {
                reasons.get(i).add(new KeepReason(Rule.WITHIN, "within " + p.keepWithin()));
            }
        }
        List<String> tags = p.keepTags().stream().sorted().toList();
        for (int i = 0; i < sorted.size(); i++) {
            SnapshotRef s = sorted.get(i);
            for (String tag : tags) {
                if (s.tags().contains(tag)) {
                    reasons.get(i).add(new KeepReason(Rule.TAG, "tag " + tag));
                }
            }
            for (Hold h : holds) {
                if (h.target().matches(s)) {
                    String by = switch (h.target()) {
                        case HoldTarget.OnSnapshot ignored -> "by snapshot";
                        case HoldTarget.OnTag t -> "by tag " + t.tag();
                    };
                    reasons.get(i).add(new KeepReason(Rule.HOLD, "hold " + h.id() + " (" + by + ")"));
                }
            }
        }

        List<Decision> decisions = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            List<KeepReason> r = reasons.get(i);
            decisions.add(new Decision(sorted.get(i), r.isEmpty() ? Action.FORGET : Action.KEEP, r));
        }
        return new GroupPlan(group, decisions);
    }

    /**
     * Keeps the newest snapshot of each distinct period, newest period first, until {@code count}
     * periods are used. A set rather than "differs from the previous key" so that even a zone whose
     * wall clock steps back across a period boundary cannot make a period count twice.
     */
    private static void periodRule(List<SnapshotRef> sorted, List<List<KeepReason>> reasons, int count, Rule rule,
                                   Function<Instant, String> period) {
        if (count == 0) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < sorted.size() && (count == -1 || seen.size() < count); i++) {
            String key = period.apply(sorted.get(i).time());
            if (seen.add(key)) {
                reasons.get(i).add(new KeepReason(rule, rule.label() + " " + key));
            }
        }
    }

    private static String isoWeek(ZonedDateTime t) {
        return String.format(Locale.ROOT, "%04d-W%02d",
            t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
}
