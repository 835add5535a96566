package io.lifeboat.common.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.retention.RetentionPlan.Decision;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the evaluator over random histories, policies and holds. Seeded loops rather than
 * a property-testing engine: each case is reproducible from its seed, which the assertion names.
 */
class RetentionPropertiesTest {
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Berlin"), ZoneId.of("UTC"),
        ZoneId.of("America/New_York"), ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Asia/Kathmandu"));
    private static final List<String> TAGS = List.of("audit", "legal", "daily", "x");
    private static final List<String> HOSTS = List.of("alpha", "beta", "gamma");

    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= 200; s++) {
            seeds.add(s);
        }
        return seeds;
    }

    private record Case(List<SnapshotRef> snapshots, RetentionPolicy policy, Set<Hold> holds, Instant now) {
    }

    private static Case randomCase(long seed) {
        Random r = new Random(seed);
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        long span = 3L * 365 * 24 * 3600;
        int n = r.nextInt(120);
        List<SnapshotRef> snaps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // clustered times: same hour/day collisions are common, so buckets get exercised
            long t = r.nextBoolean() ? (long) (r.nextDouble() * span) : (r.nextInt(200) * 3600L + r.nextInt(3) * 60L);
            Set<String> tags = new HashSet<>();
            for (String tag : TAGS) {
                if (r.nextInt(6) == 0) {
                    tags.add(tag);
                }
            }
            snaps.add(new SnapshotRef("s" + i, start.plusSeconds(t), tags, HOSTS.get(r.nextInt(HOSTS.size())),
                List.of("/p" + r.nextInt(2)), r.nextBoolean() ? "files" : "stream"));
        }
        RetentionPolicy.Builder b = RetentionPolicy.builder()
            .keepLast(count(r))
            .keepHourly(count(r))
            .keepDaily(count(r))
            .keepWeekly(count(r))
            .keepMonthly(count(r))
            .keepYearly(count(r))
            .zone(ZONES.get(r.nextInt(ZONES.size())))
            .allowEmpty(true);
        if (r.nextInt(3) == 0) {
            b.keepWithin(new KeepWithin(0, r.nextInt(2), 0, r.nextInt(10), r.nextInt(30)));
        }
        if (r.nextInt(3) == 0) {
            b.keepTags(TAGS.get(r.nextInt(TAGS.size())));
        }
        if (r.nextInt(4) == 0) {
            b.groupBy(Set.of());
        }
        Instant now = start.plusSeconds(span + r.nextInt(1000));
        Set<Hold> holds = new HashSet<>();
        int nHolds = r.nextInt(4);
        for (int i = 0; i < nHolds; i++) {
            Hold h = r.nextBoolean() || snaps.isEmpty()
                ? Hold.onTag("T" + i, TAGS.get(r.nextInt(TAGS.size())), "", "", start)
                : Hold.onSnapshot("S" + i, snaps.get(r.nextInt(snaps.size())).id(), "", "", start);
            if (r.nextBoolean()) {
                h = h.withExpiry(start.plusSeconds(1 + (long) (r.nextDouble() * 2 * span)));
            }
            holds.add(h);
        }
        return new Case(snaps, b.build(), holds, now);
    }

    private static int count(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> -1;
            default -> 1 + r.nextInt(8);
        };
    }

    private static Set<String> keptIds(RetentionPlan plan) {
        return plan.toKeep().stream().map(SnapshotRef::id).collect(Collectors.toSet());
    }

    private static RetentionPlan eval(Case c, RetentionPolicy p, Set<Hold> holds) {
        return RetentionEvaluator.evaluate(c.snapshots(), p, holds, c.now());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theKeptSetIsASupersetOfWhatEachRuleAloneKeeps(long seed) {
        Case c = randomCase(seed);
        RetentionPolicy p = c.policy();
        Set<String> all = keptIds(eval(c, p, c.holds()));
        List<RetentionPolicy> alone = List.of(
            only(p).keepLast(p.keepLast()).build(),
            only(p).keepHourly(p.keepHourly()).build(),
            only(p).keepDaily(p.keepDaily()).build(),
            only(p).keepWeekly(p.keepWeekly()).build(),
            only(p).keepMonthly(p.keepMonthly()).build(),
            only(p).keepYearly(p.keepYearly()).build(),
            only(p).keepWithin(p.keepWithin()).build(),
            only(p).keepTags(p.keepTags()).build());
        for (RetentionPolicy single : alone) {
            assertThat(all).as("seed %d, rule %s", seed, single).containsAll(keptIds(eval(c, single, Set.of())));
        }
        // and nothing is kept that no rule and no hold keeps
        Set<String> union = new HashSet<>(keptIds(eval(c, only(p).build(), c.holds())));
        alone.forEach(single -> union.addAll(keptIds(eval(c, single, Set.of()))));
        assertThat(all).as("seed %d", seed).isEqualTo(union);
    }

    private static RetentionPolicy.Builder only(RetentionPolicy p) {
        return RetentionPolicy.builder().zone(p.zone()).groupBy(p.groupBy()).allowEmpty(true);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aHeldSnapshotIsNeverForgotten(long seed) {
        Case c = randomCase(seed);
        RetentionPlan plan = eval(c, c.policy(), c.holds());
        for (Decision d : plan.decisions()) {
            boolean held = c.holds().stream().anyMatch(h -> h.protects(d.snapshot(), c.now()));
            if (held) {
                assertThat(d.kept()).as("seed %d, %s", seed, d).isTrue();
                assertThat(d.held()).as("seed %d, %s", seed, d).isTrue();
            } else {
                assertThat(d.held()).as("seed %d, %s", seed, d).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theNewestSnapshotOfEveryGroupIsKeptWhenAnyCountRuleIsOn(long seed) {
        Case c = randomCase(seed);
        RetentionPolicy p = c.policy();
        boolean anyCount = p.keepLast() != 0 || p.keepHourly() != 0 || p.keepDaily() != 0 || p.keepWeekly() != 0
            || p.keepMonthly() != 0 || p.keepYearly() != 0;
        if (!anyCount) {
            return;
        }
        for (RetentionPlan.GroupPlan g : eval(c, p, Set.of()).groups()) {
            Decision newest = g.decisions().get(0);
            Instant max = g.decisions().stream().map(d -> d.snapshot().time()).max(Instant::compareTo).orElseThrow();
            assertThat(newest.snapshot().time()).as("seed %d", seed).isEqualTo(max);
            assertThat(newest.kept()).as("seed %d, group %s", seed, g.group()).isTrue();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theOutcomeDoesNotDependOnInputOrder(long seed) {
        Case c = randomCase(seed);
        RetentionPlan plan = eval(c, c.policy(), c.holds());
        List<SnapshotRef> shuffled = new ArrayList<>(c.snapshots());
        Collections.shuffle(shuffled, new Random(seed * 31));
        RetentionPlan again = RetentionEvaluator.evaluate(shuffled, c.policy(), c.holds(), c.now());
        assertThat(again).as("seed %d", seed).isEqualTo(plan);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyPeriodRuleKeepsAtMostItsCountPerGroup(long seed) {
        Case c = randomCase(seed);
        RetentionPolicy p = c.policy();
        for (RetentionPlan.GroupPlan g : eval(c, p, Set.of()).groups()) {
            for (KeepReason.Rule rule : List.of(KeepReason.Rule.LAST, KeepReason.Rule.HOURLY, KeepReason.Rule.DAILY,
                    KeepReason.Rule.WEEKLY, KeepReason.Rule.MONTHLY, KeepReason.Rule.YEARLY)) {
                int count = switch (rule) {
                    case LAST -> p.keepLast();
                    case HOURLY -> p.keepHourly();
                    case DAILY -> p.keepDaily();
                    case WEEKLY -> p.keepWeekly();
                    case MONTHLY -> p.keepMonthly();
                    default -> p.keepYearly();
                };
                List<String> labels = g.decisions().stream().flatMap(d -> d.reasons().stream())
                    .filter(r -> r.rule() == rule).map(KeepReason::text).toList();
                assertThat(labels).as("seed %d: each %s period once", seed, rule).doesNotHaveDuplicates();
                if (count >= 0) {
                    assertThat(labels.size()).as("seed %d %s", seed, rule).isLessThanOrEqualTo(count);
                }
                if (count != 0) {
                    // unlimited, or fewer periods than the count: every snapshot's period is represented
                    long periods = labels.size();
                    if (count == -1 || periods < count) {
                        assertThat(periods).as("seed %d %s", seed, rule).isEqualTo(rule == KeepReason.Rule.LAST
                            ? g.decisions().size() : distinctPeriods(g, rule, p.zone()));
                    }
                }
            }
        }
    }

    private static long distinctPeriods(RetentionPlan.GroupPlan g, KeepReason.Rule rule, ZoneId zone) {
        return g.decisions().stream().map(d -> {
            var t = d.snapshot().time().atZone(zone);
            return switch (rule) {
                case HOURLY -> t.truncatedTo(java.time.temporal.ChronoUnit.HOURS).toOffsetDateTime().toString();
                case DAILY -> t.toLocalDate().toString();
                case WEEKLY -> t.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR) + "-"
                    + t.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR);
                case MONTHLY -> t.getYear() + "-" + t.getMonthValue();
                default -> Integer.toString(t.getYear());
            };
        }).distinct().count();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void flagsRoundTripForRandomPolicies(long seed) {
        RetentionPolicy p = randomCase(seed).policy();
        assertThat(RetentionPolicy.fromFlags(p.toFlags(), ZoneId.of("UTC"))).as("seed %d", seed).isEqualTo(p);
    }
}
