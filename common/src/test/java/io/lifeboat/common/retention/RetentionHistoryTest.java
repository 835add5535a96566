package io.lifeboat.common.retention;

import static io.lifeboat.common.retention.RetentionFixtures.BERLIN;
import static io.lifeboat.common.retention.RetentionFixtures.idOf;
import static io.lifeboat.common.retention.RetentionFixtures.twoYearHistory;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.retention.RetentionPlan.Decision;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The GFS policy over a generated two-year history in Europe/Berlin (four DST changes, two year
 * ends). The expected sets are written out by hand from the calendar (reasoning in the comments),
 * never taken from the evaluator's output.
 */
class RetentionHistoryTest {
    private static final Instant NOW = Instant.parse("2027-01-01T12:00:00Z");
    private static final RetentionPolicy GFS = RetentionPolicy.builder()
        .keepLast(3)
        .keepDaily(7)
        .keepWeekly(4)
        .keepMonthly(12)
        .keepYearly(-1)
        .keepWithin("2d")
        .keepTags("audit")
        .zone(BERLIN)
        .build();

    /**
     * Newest snapshot: 2026-12-31 23:30 +01:00 (22:30Z).
     * last 3: 23:30, 18:00, 12:00 on 2026-12-31.
     * within 2d: strictly after 2026-12-29 23:30 +01:00: 00/06/12/18 on 12-30 and 12-31, and 23:30.
     * daily 7: the 18:00 of 12-25 .. 12-30, and 23:30 on 12-31.
     * weekly 4: 2026 has 53 ISO weeks (1 Jan 2026 is a Thursday); W53 = 12-28 .. 2027-01-03 keeps
     *   23:30 on 12-31, W52 (12-21..12-27) the 27th 18:00, W51 the 20th, W50 the 13th.
     * monthly 12: the last 18:00 of each month Jan..Nov 2026 (+02:00 from 03-29 to 10-25, so Mar..Sep
     *   are 16:00Z, the others 17:00Z) and 23:30 on 12-31 for December.
     * yearly all: 2026 -> 23:30 on 12-31; 2025 -> 2025-12-31 23:59 +01:00 (22:59Z). The snapshot of
     *   2026-01-01 00:30 +01:00 is 2025-12-31 23:30 in UTC but belongs to 2026 on the Berlin clock.
     * tag audit: 2025-06-15 12:00 +02:00 and 2026-02-10 06:00 +01:00.
     */
    private static final Set<String> KEPT_BY_POLICY = Set.of(
        "2026-12-31T22:30:00Z", // last 1, daily, weekly W53, monthly 12, yearly 2026, within
        "2026-12-31T17:00:00Z", // last 2, within
        "2026-12-31T11:00:00Z", // last 3, within
        "2026-12-31T05:00:00Z", // within
        "2026-12-30T23:00:00Z", // within (12-31 00:00 local)
        "2026-12-30T17:00:00Z", // daily 12-30, within
        "2026-12-30T11:00:00Z", // within
        "2026-12-30T05:00:00Z", // within
        "2026-12-29T23:00:00Z", // within (12-30 00:00 local)
        "2026-12-29T17:00:00Z", // daily
        "2026-12-28T17:00:00Z", // daily
        "2026-12-27T17:00:00Z", // daily, weekly W52
        "2026-12-26T17:00:00Z", // daily
        "2026-12-25T17:00:00Z", // daily
        "2026-12-20T17:00:00Z", // weekly W51
        "2026-12-13T17:00:00Z", // weekly W50
        "2026-11-30T17:00:00Z", // monthly 11
        "2026-10-31T17:00:00Z", // monthly 10 (after the fall-back: +01:00)
        "2026-09-30T16:00:00Z", // monthly 09
        "2026-08-31T16:00:00Z",
        "2026-07-31T16:00:00Z",
        "2026-06-30T16:00:00Z",
        "2026-05-31T16:00:00Z",
        "2026-04-30T16:00:00Z",
        "2026-03-31T16:00:00Z", // monthly 03 (after the spring-forward: +02:00)
        "2026-02-28T17:00:00Z", // monthly 02
        "2026-02-10T05:00:00Z", // tag audit
        "2026-01-31T17:00:00Z", // monthly 01
        "2025-12-31T22:59:00Z", // yearly 2025
        "2025-06-15T10:00:00Z"); // tag audit

    @Test
    void theHistoryIsWhatTheTestsAssume() {
        List<SnapshotRef> history = twoYearHistory();
        // 730 days x 4 + 9 irregular
        assertThat(history).hasSize(2929);
        assertThat(history).extracting(s -> s.time().toString())
            .contains("2025-10-26T00:30:00Z", "2025-10-26T01:30:00Z", "2025-12-31T23:30:00Z");
    }

    @Test
    void theGfsPolicyKeepsExactlyTheHandComputedSnapshots() {
        RetentionPlan plan = RetentionEvaluator.evaluate(twoYearHistory(), GFS, Set.of(), NOW);

        assertThat(kept(plan)).containsExactlyInAnyOrderElementsOf(KEPT_BY_POLICY);
        assertThat(plan.keepCount()).isEqualTo(30);
        assertThat(plan.forgetCount()).isEqualTo(2929 - 30);
        assertThat(plan.groups()).hasSize(1);
    }

    @Test
    void everyReasonIsListed() {
        RetentionPlan plan = RetentionEvaluator.evaluate(twoYearHistory(), GFS, Set.of(), NOW);

        assertThat(reasons(plan, "2026-12-31T22:30:00Z")).containsExactly(
            "last 1", "daily 2026-12-31", "weekly 2026-W53", "monthly 2026-12", "yearly 2026", "within 2d");
        assertThat(reasons(plan, "2026-12-31T17:00:00Z")).containsExactly("last 2", "within 2d");
        assertThat(reasons(plan, "2026-12-30T23:00:00Z")).containsExactly("within 2d");
        assertThat(reasons(plan, "2026-12-27T17:00:00Z")).containsExactly("daily 2026-12-27", "weekly 2026-W52");
        assertThat(reasons(plan, "2026-10-31T17:00:00Z")).containsExactly("monthly 2026-10");
        assertThat(reasons(plan, "2026-03-31T16:00:00Z")).containsExactly("monthly 2026-03");
        assertThat(reasons(plan, "2025-12-31T22:59:00Z")).containsExactly("yearly 2025");
        assertThat(reasons(plan, "2026-02-10T05:00:00Z")).containsExactly("tag audit");
        // the first snapshot of 2026 on the Berlin clock, 2025 in UTC: no rule reaches it
        assertThat(reasons(plan, "2025-12-31T23:30:00Z")).isEmpty();
        // 12-29 18:00 is the newest of its day; 12-29 23:30 (the within threshold) has no snapshot
        assertThat(reasons(plan, "2026-12-29T17:00:00Z")).containsExactly("daily 2026-12-29");
        assertThat(reasons(plan, "2026-12-29T11:00:00Z")).isEmpty();
    }

    /**
     * Holds add to the policy: by tag {@code legal} (the second 02:30 of the 2025 fall-back
     * night), by id (the 03:30 after the 2025 spring-forward); an expired hold on the very first
     * snapshot protects nothing.
     */
    @Test
    void holdsAddToThePolicyAndExpiredHoldsDoNot() {
        Instant created = Instant.parse("2026-06-01T00:00:00Z");
        Set<Hold> holds = Set.of(
            Hold.onTag("LEGAL-42", "legal", "case 42", "alice", created),
            Hold.onSnapshot("AUDIT-7", idOf(Instant.parse("2025-03-30T01:30:00Z")), "audit", "bob", created),
            Hold.onSnapshot("OLD-1", idOf(Instant.parse("2024-12-31T23:00:00Z")), "expired", "bob", created)
                .withExpiry(Instant.parse("2026-12-01T00:00:00Z")));

        RetentionPlan plan = RetentionEvaluator.evaluate(twoYearHistory(), GFS, holds, NOW);

        assertThat(kept(plan)).containsExactlyInAnyOrderElementsOf(union(KEPT_BY_POLICY,
            "2025-10-26T01:30:00Z", "2025-03-30T01:30:00Z"));
        assertThat(reasons(plan, "2025-10-26T01:30:00Z")).containsExactly("hold LEGAL-42 (by tag legal)");
        assertThat(reasons(plan, "2025-10-26T00:30:00Z")).isEmpty();
        assertThat(reasons(plan, "2025-03-30T01:30:00Z")).containsExactly("hold AUDIT-7 (by snapshot)");
        assertThat(reasons(plan, "2024-12-31T23:00:00Z")).isEmpty();
    }

    /**
     * Hourly over the 2026 fall-back night: on the Berlin clock 02:00-03:00 happens twice, and each
     * real hour is its own bucket, so 02:45 +02:00 and 02:45 +01:00 both count. Were the wall-clock
     * hour the bucket, they would share one and the fourth kept would be 10-24 18:00 +02:00.
     */
    @Test
    void hourlyOnTheFallBackNightCountsEachRealHour() {
        // the history up to 2026-10-25 06:00 local, so the newest hours are the night's
        Instant cut = Instant.parse("2026-10-25T05:00:00Z");
        List<SnapshotRef> upToTheNight = twoYearHistory().stream().filter(s -> !s.time().isAfter(cut)).toList();
        RetentionPolicy hourly = RetentionPolicy.builder().keepHourly(4).zone(BERLIN).build();

        RetentionPlan plan = RetentionEvaluator.evaluate(upToTheNight, hourly, Set.of(), NOW);

        // newest first: 06:00+01 (05:00Z), 02:45+01 (01:45Z), 02:45+02 (00:45Z), 00:00+02 (10-24 22:00Z)
        assertThat(kept(plan)).containsExactlyInAnyOrder(
            "2026-10-25T05:00:00Z", "2026-10-25T01:45:00Z", "2026-10-25T00:45:00Z", "2026-10-24T22:00:00Z");
        assertThat(reasons(plan, "2026-10-25T01:45:00Z")).containsExactly("hourly 2026-10-25T02:00+01:00");
        assertThat(reasons(plan, "2026-10-25T00:45:00Z")).containsExactly("hourly 2026-10-25T02:00+02:00");
    }

    private static List<String> kept(RetentionPlan plan) {
        return plan.toKeep().stream().map(s -> s.time().toString()).toList();
    }

    private static List<String> reasons(RetentionPlan plan, String instant) {
        Decision d = plan.decisionFor(idOf(Instant.parse(instant))).orElseThrow(
            () -> new AssertionError("no snapshot at " + instant));
        return d.reasons().stream().map(KeepReason::text).toList();
    }

    private static Set<String> union(Set<String> base, String... more) {
        java.util.Set<String> s = new java.util.HashSet<>(base);
        s.addAll(List.of(more));
        return s;
    }
}
