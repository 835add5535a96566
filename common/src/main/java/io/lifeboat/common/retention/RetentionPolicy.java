package io.lifeboat.common.retention;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A GFS retention policy. Each count is 0 (rule off), a positive number of periods (or, for
 * {@code keepLast}, snapshots), or -1 (unlimited: every period). Periods are computed in
 * {@code zone}, weeks are ISO weeks. The rules are applied to each group of snapshots (by default
 * host + source type + paths) on its own. Semantics: {@code docs/retention.md}.
 *
 * <p>A policy that keeps nothing (all counts 0, no within, no tags) would forget every snapshot
 * not under a hold; it is refused unless {@code allowEmpty} says that is really meant, so a typo
 * in a flag cannot empty a repository.
 *
 * @throws RetentionPolicyException from the constructor: a count below -1, a null zone, an empty
 *     tag, an empty policy without {@code allowEmpty}
 */
public record RetentionPolicy(
        int keepLast,
        int keepHourly,
        int keepDaily,
        int keepWeekly,
        int keepMonthly,
        int keepYearly,
        KeepWithin keepWithin,
        Set<String> keepTags,
        ZoneId zone,
        Set<GroupBy> groupBy,
        boolean allowEmpty) {

    /**
     * restic's {@code --group-by host,paths}, plus the source type: a database and a directory on
     * one host never compete.
     */
    public static final Set<GroupBy> DEFAULT_GROUP_BY = Set.of(GroupBy.HOST, GroupBy.SOURCE_TYPE, GroupBy.PATHS);

    public RetentionPolicy {
        checkCount("--keep-last", keepLast);
        checkCount("--keep-hourly", keepHourly);
        checkCount("--keep-daily", keepDaily);
        checkCount("--keep-weekly", keepWeekly);
        checkCount("--keep-monthly", keepMonthly);
        checkCount("--keep-yearly", keepYearly);
        keepWithin = keepWithin == null ? KeepWithin.NONE : keepWithin;
        if (zone == null) {
            throw new RetentionPolicyException("a retention policy needs a time zone");
        }
        keepTags = keepTags == null ? Set.of() : Set.copyOf(keepTags);
        for (String t : keepTags) {
            if (t.isBlank()) {
                throw new RetentionPolicyException("--keep-tag: a tag must not be empty");
            }
        }
        groupBy = groupBy == null ? DEFAULT_GROUP_BY : Set.copyOf(groupBy);
        if (!allowEmpty && keepsNothing(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly,
                keepWithin, keepTags)) {
            throw new RetentionPolicyException("the policy keeps nothing, so every snapshot not under a hold would be"
                + " forgotten; give at least one --keep-* rule, or --allow-empty if that is really meant");
        }
    }

    private static void checkCount(String flag, int n) {
        if (n < -1) {
            throw new RetentionPolicyException(flag + " must be 0 (off), a positive count or -1 (unlimited); got " + n);
        }
    }

    private static boolean keepsNothing(int last, int hourly, int daily, int weekly, int monthly, int yearly,
                                        KeepWithin within, Set<String> tags) {
        return last == 0 && hourly == 0 && daily == 0 && weekly == 0 && monthly == 0 && yearly == 0
            && within.isZero() && tags.isEmpty();
    }

    /** True when no rule is on (only possible with {@code allowEmpty}). */
    public boolean isEmpty() {
        return keepsNothing(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin,
            keepTags);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses a count flag value: a whole number &gt;= 0, or -1 / {@code unlimited} / {@code forever}
     * for every period.
     *
     * @throws RetentionPolicyException naming the flag and the value
     */
    public static int parseCount(String flag, String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("unlimited") || v.equals("forever")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(v);
            checkCount(flag, n);
            return n;
        } catch (NumberFormatException e) {
            throw new RetentionPolicyException(flag + " must be 0 (off), a positive count or -1 (unlimited); got '"
                + value + "'");
        }
    }

    /**
     * Parses CLI flags: {@code --keep-last N}, {@code --keep-hourly N}, {@code --keep-daily N},
     * {@code --keep-weekly N}, {@code --keep-monthly N}, {@code --keep-yearly N},
     * {@code --keep-within 7d}, {@code --keep-tag T} (repeatable), {@code --zone Europe/Berlin},
     * {@code --group-by host,type,paths,tags} (an empty value: one group), {@code --allow-empty};
     * {@code --flag=value} works too. The inverse of {@link #toFlags()}.
     *
     * @param defaultZone the zone when no {@code --zone} is given (the CLI passes the system zone)
     * @throws RetentionPolicyException for an unknown flag, a missing or invalid value, or an
     *     empty policy without {@code --allow-empty}
     */
    public static RetentionPolicy fromFlags(List<String> args, ZoneId defaultZone) {
        Builder b = builder().zone(defaultZone);
        Set<String> tags = new LinkedHashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (flag.equals("--allow-empty")) {
                if (value != null) {
                    throw new RetentionPolicyException("--allow-empty takes no value");
                }
                b.allowEmpty(true);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new RetentionPolicyException(flag + ": missing value");
                }
                value = args.get(++i);
            }
            switch (flag) {
                case "--keep-last" -> b.keepLast(parseCount(flag, value));
                case "--keep-hourly" -> b.keepHourly(parseCount(flag, value));
                case "--keep-daily" -> b.keepDaily(parseCount(flag, value));
                case "--keep-weekly" -> b.keepWeekly(parseCount(flag, value));
                case "--keep-monthly" -> b.keepMonthly(parseCount(flag, value));
                case "--keep-yearly" -> b.keepYearly(parseCount(flag, value));
                case "--keep-within" -> b.keepWithin(KeepWithin.parse(value));
                case "--keep-tag" -> {
                    if (value.isBlank()) {
                        throw new RetentionPolicyException("--keep-tag: a tag must not be empty");
                    }
                    tags.add(value);
                }
                case "--zone" -> b.zone(parseZone(value));
                case "--group-by" -> b.groupBy(parseGroupBy(value));
                default -> throw new RetentionPolicyException("unknown retention flag '" + flag + "'");
            }
        }
        return b.keepTags(tags).build();
    }

    public static ZoneId parseZone(String value) {
        try {
            return ZoneId.of(value.strip());
        } catch (DateTimeException e) {
            throw new RetentionPolicyException("--zone: unknown time zone '" + value
                + "'; expected a region such as Europe/Berlin, or UTC");
        }
    }

    public static Set<GroupBy> parseGroupBy(String value) {
        Set<GroupBy> g = EnumSet.noneOf(GroupBy.class);
        if (value.isBlank()) {
            return g;
        }
        for (String part : value.split(",", -1)) {
            g.add(GroupBy.fromFlag(part));
        }
        return g;
    }

    /** The flags that {@link #fromFlags} reads back into an equal policy; rules that are off are left out. */
    public List<String> toFlags() {
        List<String> f = new ArrayList<>();
        addCount(f, "--keep-last", keepLast);
        addCount(f, "--keep-hourly", keepHourly);
        addCount(f, "--keep-daily", keepDaily);
        addCount(f, "--keep-weekly", keepWeekly);
        addCount(f, "--keep-monthly", keepMonthly);
        addCount(f, "--keep-yearly", keepYearly);
        if (!keepWithin.isZero()) {
            f.add("--keep-within");
            f.add(keepWithin.toString());
        }
        for (String t : new TreeSet<>(keepTags)) {
            f.add("--keep-tag");
            f.add(t);
        }
        f.add("--zone");
        f.add(zone.getId());
        f.add("--group-by=" + String.join(",", groupBy.stream().sorted().map(GroupBy::flag).toList()));
        if (allowEmpty) {
            f.add("--allow-empty");
        }
        return f;
    }

    private static void addCount(List<String> f, String flag, int n) {
        if (n != 0) {
            f.add(flag);
            f.add(Integer.toString(n));
        }
    }

    /** The flags, space separated: {@code --keep-daily 7 --keep-yearly -1 --zone UTC --group-by=host,type,paths}. */
    @Override
    public String toString() {
        return String.join(" ", toFlags());
    }

    /**
     * A sentence for humans: {@code keep the 3 newest, 7 daily, all yearly, everything within 2d of
     * the newest, everything tagged audit (periods in Europe/Berlin, ISO weeks; per host, type,
     * paths)}.
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (keepLast != 0) {
            parts.add(keepLast == -1 ? "all snapshots" : "the " + keepLast + " newest");
        }
        describeCount(parts, keepHourly, "hourly");
        describeCount(parts, keepDaily, "daily");
        describeCount(parts, keepWeekly, "weekly");
        describeCount(parts, keepMonthly, "monthly");
        describeCount(parts, keepYearly, "yearly");
        if (!keepWithin.isZero()) {
            parts.add("everything within " + keepWithin + " of the newest");
        }
        if (!keepTags.isEmpty()) {
            parts.add("everything tagged " + String.join(" or ", new TreeSet<>(keepTags)));
        }
        String grouping = groupBy.isEmpty() ? "all snapshots as one group"
            : "per " + String.join(", ", groupBy.stream().sorted().map(GroupBy::flag).toList());
        String what = parts.isEmpty() ? "keep nothing (allowed empty policy)" : "keep " + String.join(", ", parts);
        return what + " (periods in " + zone.getId() + ", ISO weeks; " + grouping + ")";
    }

    private static void describeCount(List<String> parts, int n, String name) {
        if (n == -1) {
            parts.add("all " + name);
        } else if (n > 0) {
            parts.add(n + " " + name);
        }
    }

    /** Builds a policy; every rule starts off, the zone at UTC, grouping at {@link #DEFAULT_GROUP_BY}. */
    public static final class Builder {
        private int keepLast;
        private int keepHourly;
        private int keepDaily;
        private int keepWeekly;
        private int keepMonthly;
        private int keepYearly;
        private KeepWithin keepWithin = KeepWithin.NONE;
        private Set<String> keepTags = Set.of();
        private ZoneId zone = ZoneId.of("UTC");
        private Set<GroupBy> groupBy = DEFAULT_GROUP_BY;
        private boolean allowEmpty;

        private Builder() {
        }

        public Builder keepLast(int n) {
            keepLast = n;
            return this;
        }

        public Builder keepHourly(int n) {
            keepHourly = n;
            return this;
        }

        public Builder keepDaily(int n) {
            keepDaily = n;
            return this;
        }

        public Builder keepWeekly(int n) {
            keepWeekly = n;
            return this;
        }

        public Builder keepMonthly(int n) {
            keepMonthly = n;
            return this;
        }

        public Builder keepYearly(int n) {
            keepYearly = n;
            return this;
        }

        public Builder keepWithin(KeepWithin w) {
            keepWithin = Objects.requireNonNull(w, "keepWithin");
            return this;
        }

        public Builder keepWithin(String w) {
            return keepWithin(KeepWithin.parse(w));
        }

        public Builder keepTags(Set<String> tags) {
            keepTags = Set.copyOf(tags);
            return this;
        }

        public Builder keepTags(String... tags) {
            return keepTags(Set.of(tags));
        }

        public Builder zone(ZoneId z) {
            zone = Objects.requireNonNull(z, "zone");
            return this;
        }

        public Builder zone(String z) {
            return zone(parseZone(z));
        }

        public Builder groupBy(Set<GroupBy> g) {
            groupBy = Set.copyOf(g);
            return this;
        }

        public Builder groupBy(GroupBy... g) {
            return groupBy(Set.of(g));
        }

        public Builder allowEmpty(boolean allow) {
            allowEmpty = allow;
            return this;
        }

        public RetentionPolicy build() {
            return new RetentionPolicy(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly,
                keepWithin, keepTags, zone, groupBy, allowEmpty);
        }
    }
}
