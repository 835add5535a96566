package io.lifeboat.common.retention;

import static io.lifeboat.common.retention.RetentionFixtures.BERLIN;
import static io.lifeboat.common.retention.RetentionFixtures.onHost;
import static io.lifeboat.common.retention.RetentionFixtures.snap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.retention.RetentionPlan.Decision;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each rule alone, holds, grouping, DST and year-end buckets; expectations worked out by hand. */
class RetentionEvaluatorTest {
    private static final Instant NOW = Instant.parse("2027-06-01T00:00:00Z");

    private static RetentionPolicy.Builder utc() {
        return RetentionPolicy.builder().zone(ZoneOffset.UTC);
    }

    private static RetentionPlan eval(RetentionPolicy policy, SnapshotRef... snapshots) {
        return RetentionEvaluator.evaluate(List.of(snapshots), policy, Set.of(), NOW);
    }

    private static List<String> kept(RetentionPlan plan) {
        return plan.toKeep().stream().map(s -> s.time().toString()).toList();
    }

    private static List<String> reasons(RetentionPlan plan, SnapshotRef s) {
        return plan.decisionFor(s.id()).orElseThrow().reasons().stream().map(KeepReason::text).toList();
    }

    private static SnapshotRef at(String instant, String... tags) {
        return snap(Instant.parse(instant), tags);
    }

    @Test
    void keepLastKeepsTheNewestN() {
        SnapshotRef a = at("2026-01-01T00:00:00Z");
        SnapshotRef b = at("2026-01-02T00:00:00Z");
        SnapshotRef c = at("2026-01-03T00:00:00Z");
        RetentionPlan plan = eval(utc().keepLast(2).build(), a, c, b);

        assertThat(kept(plan)).containsExactly("2026-01-03T00:00:00Z", "2026-01-02T00:00:00Z");
        assertThat(reasons(plan, c)).containsExactly("last 1");
        assertThat(reasons(plan, b)).containsExactly("last 2");
        assertThat(plan.decisionFor(a.id()).orElseThrow().kept()).isFalse();
    }

    @Test
    void minusOneMeansUnlimited() {
        SnapshotRef a = at("2024-05-01T00:00:00Z");
        SnapshotRef b = at("2025-05-01T00:00:00Z");
        SnapshotRef c = at("2026-05-01T00:00:00Z");
        SnapshotRef d = at("2026-05-01T01:00:00Z");

        assertThat(kept(eval(utc().keepLast(-1).build(), a, b, c, d))).hasSize(4);
        // yearly -1: the newest of each of the three years, and never the second 2026 one
        assertThat(kept(eval(utc().keepYearly(-1).build(), a, b, c, d)))
            .containsExactly("2026-05-01T01:00:00Z", "2025-05-01T00:00:00Z", "2024-05-01T00:00:00Z");
    }

    @Test
    void hourlyKeepsTheNewestOfEachHour() {
        RetentionPlan plan = eval(utc().keepHourly(2).build(),
            at("2026-01-01T10:05:00Z"), at("2026-01-01T10:55:00Z"), at("2026-01-01T11:10:00Z"),
            at("2026-01-01T11:20:00Z"), at("2026-01-01T09:59:00Z"));

        assertThat(kept(plan)).containsExactly("2026-01-01T11:20:00Z", "2026-01-01T10:55:00Z");
        assertThat(reasons(plan, at("2026-01-01T11:20:00Z"))).containsExactly("hourly 2026-01-01T11:00+00:00");
    }

    @Test
    void dailyCountsDaysNotSnapshotsAndSkipsEmptyDays() {
        // 3 days with snapshots spread over a week: daily 2 keeps the newest of the two newest days
        RetentionPlan plan = eval(utc().keepDaily(2).build(),
            at("2026-01-07T08:00:00Z"), at("2026-01-07T20:00:00Z"), at("2026-01-03T12:00:00Z"),
            at("2026-01-01T12:00:00Z"));

        assertThat(kept(plan)).containsExactly("2026-01-07T20:00:00Z", "2026-01-03T12:00:00Z");
        assertThat(reasons(plan, at("2026-01-03T12:00:00Z"))).containsExactly("daily 2026-01-03");
    }

    @Test
    void monthlyKeepsTheNewestOfEachMonthInTheZone() {
        // 2026-02-28T23:30Z is already 1 March in Berlin (+01:00): March's, not February's
        RetentionPolicy monthly = RetentionPolicy.builder().keepMonthly(2).zone(BERLIN).build();
        RetentionPlan plan = eval(monthly,
            at("2026-02-28T23:30:00Z"), at("2026-02-28T12:00:00Z"), at("2026-02-10T12:00:00Z"),
            at("2026-01-31T12:00:00Z"));

        assertThat(kept(plan)).containsExactly("2026-02-28T23:30:00Z", "2026-02-28T12:00:00Z");
        assertThat(reasons(plan, at("2026-02-28T23:30:00Z"))).containsExactly("monthly 2026-03");
        assertThat(reasons(plan, at("2026-02-28T12:00:00Z"))).containsExactly("monthly 2026-02");
    }

    @Test
    void anIsoWeekThatSpansTheYearEndIsOneWeek() {
        // 2026-W53 runs Monday 2026-12-28 to Sunday 2027-01-03; 2027-W01 starts Monday 2027-01-04
        RetentionPlan plan = eval(utc().keepWeekly(2).build(),
            at("2026-12-28T12:00:00Z"), at("2026-12-31T12:00:00Z"), at("2027-01-01T12:00:00Z"),
            at("2027-01-03T12:00:00Z"), at("2027-01-04T12:00:00Z"), at("2026-12-27T12:00:00Z"));

        assertThat(kept(plan)).containsExactly("2027-01-04T12:00:00Z", "2027-01-03T12:00:00Z");
        assertThat(reasons(plan, at("2027-01-04T12:00:00Z"))).containsExactly("weekly 2027-W01");
        assertThat(reasons(plan, at("2027-01-03T12:00:00Z"))).containsExactly("weekly 2026-W53");
    }

    @Test
    void theLastDaysOfDecemberCanBelongToTheNextIsoYear() {
        // 2025-12-29 (Monday) starts 2026-W01, which holds 1 January 2026 (a Thursday)
        RetentionPlan plan = eval(utc().keepWeekly(-1).build(),
            at("2025-12-27T12:00:00Z"), at("2025-12-29T12:00:00Z"), at("2026-01-02T12:00:00Z"));

        assertThat(kept(plan)).containsExactly("2026-01-02T12:00:00Z", "2025-12-27T12:00:00Z");
        assertThat(reasons(plan, at("2026-01-02T12:00:00Z"))).containsExactly("weekly 2026-W01");
        assertThat(reasons(plan, at("2025-12-27T12:00:00Z"))).containsExactly("weekly 2025-W52");
    }

    @Test
    void theFallBackNightHasTwoSeparateHoursAtTwoOClock() {
        // Berlin 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:xx happens at +02:00 and again at +01:00
        SnapshotRef early = snap("2026-10-25T02:15+02:00");
        SnapshotRef earlyLate = snap("2026-10-25T02:45+02:00");
        SnapshotRef second = snap("2026-10-25T02:15+01:00");
        SnapshotRef secondLate = snap("2026-10-25T02:45+01:00");
        SnapshotRef before = snap("2026-10-25T01:30+02:00");
        SnapshotRef after = snap("2026-10-25T03:30+01:00");
        RetentionPolicy hourly = RetentionPolicy.builder().keepHourly(-1).zone(BERLIN).build();

        RetentionPlan plan = eval(hourly, early, earlyLate, second, secondLate, before, after);

        assertThat(plan.toKeep()).containsExactly(after, secondLate, earlyLate, before);
        assertThat(reasons(plan, secondLate)).containsExactly("hourly 2026-10-25T02:00+01:00");
        assertThat(reasons(plan, earlyLate)).containsExactly("hourly 2026-10-25T02:00+02:00");
        assertThat(plan.toForget()).containsExactlyInAnyOrder(early, second);
    }

    @Test
    void aDayOf25Or23HoursIsOneDay() {
        RetentionPolicy daily = RetentionPolicy.builder().keepDaily(1).zone(BERLIN).build();
        // fall-back day: local midnight is +02:00, the evening +01:00; 25 hours, one day
        SnapshotRef fallMorning = snap("2026-10-25T00:00+02:00");
        SnapshotRef fallEvening = snap("2026-10-25T23:30+01:00");
        assertThat(eval(daily, fallMorning, fallEvening).toKeep()).containsExactly(fallEvening);
        assertThat(eval(RetentionPolicy.builder().keepDaily(2).zone(BERLIN).build(), fallMorning, fallEvening,
            snap("2026-10-24T23:59+02:00")).toKeep())
            .containsExactly(fallEvening, snap("2026-10-24T23:59+02:00"));
        // spring-forward day: 23 hours, one day
        SnapshotRef springMorning = snap("2026-03-29T00:00+01:00");
        SnapshotRef springEvening = snap("2026-03-29T23:59+02:00");
        RetentionPlan plan = eval(daily, springMorning, springEvening);
        assertThat(plan.toKeep()).containsExactly(springEvening);
        assertThat(reasons(plan, springEvening)).containsExactly("daily 2026-03-29");
    }

    @Test
    void keepWithinIsRelativeToTheNewestSnapshotAndStrict() {
        SnapshotRef newest = at("2026-01-10T12:00:00Z");
        SnapshotRef exactlyTwoDays = at("2026-01-08T12:00:00Z");
        SnapshotRef justInside = at("2026-01-08T12:00:01Z");
        RetentionPolicy within = utc().keepWithin("2d").build();

        // now is a year and a half later: still relative to the newest snapshot, not to now
        RetentionPlan plan = eval(within, newest, exactlyTwoDays, justInside);

        assertThat(plan.toKeep()).containsExactly(newest, justInside);
        assertThat(reasons(plan, justInside)).containsExactly("within 2d");
    }

    @Test
    void keepWithinIgnoresSnapshotsFromTheFutureWhenAnchoring() {
        SnapshotRef future = at("2030-01-01T00:00:00Z");
        SnapshotRef newestReal = at("2026-01-10T12:00:00Z");
        SnapshotRef dayBefore = at("2026-01-09T18:00:00Z");
        SnapshotRef older = at("2026-01-08T00:00:00Z");
        RetentionPlan plan = RetentionEvaluator.evaluate(List.of(future, newestReal, dayBefore, older),
            utc().keepWithin("1d").build(), Set.of(), Instant.parse("2026-01-11T00:00:00Z"));

        assertThat(plan.toKeep()).containsExactly(future, newestReal, dayBefore);
    }

    @Test
    void keepWithinCountsCalendarDaysAcrossDst() {
        // newest 2026-03-29 12:00 +02:00; 1d back on the Berlin clock is 2026-03-28 12:00 +01:00 (11:00Z),
        // 23 real hours earlier; 24 real hours would reach 10:00Z
        SnapshotRef newest = snap("2026-03-29T12:00+02:00");
        SnapshotRef inside = at("2026-03-28T11:30:00Z");
        SnapshotRef within24hButNotADay = at("2026-03-28T10:30:00Z");
        RetentionPolicy within = RetentionPolicy.builder().keepWithin("1d").zone(BERLIN).build();

        assertThat(eval(within, newest, inside, within24hButNotADay).toKeep()).containsExactly(newest, inside);
    }

    @Test
    void keepTagKeepsEverySnapshotWithOneOfTheTags() {
        SnapshotRef audit = at("2026-01-01T00:00:00Z", "audit");
        SnapshotRef both = at("2026-01-02T00:00:00Z", "audit", "monthly-audit");
        SnapshotRef other = at("2026-01-03T00:00:00Z", "other");
        RetentionPlan plan = eval(utc().keepTags("audit", "monthly-audit").build(), audit, both, other);

        assertThat(plan.toKeep()).containsExactly(both, audit);
        assertThat(reasons(plan, both)).containsExactly("tag audit", "tag monthly-audit");
    }

    @Test
    void holdsWinOverForget() {
        SnapshotRef newest = at("2026-01-03T00:00:00Z");
        SnapshotRef held = at("2026-01-02T00:00:00Z");
        SnapshotRef heldByTag = at("2026-01-01T00:00:00Z", "legal");
        SnapshotRef notHeld = at("2025-12-31T00:00:00Z", "legal-ish");
        Instant created = Instant.parse("2026-01-05T00:00:00Z");
        Set<Hold> holds = Set.of(
            Hold.onSnapshot("LEGAL-1", held.id(), "case 1", "alice", created),
            Hold.onTag("LEGAL-42", "legal", "case 42", "alice", created));

        RetentionPlan plan = RetentionEvaluator.evaluate(List.of(newest, held, heldByTag, notHeld),
            utc().keepLast(1).build(), holds, NOW);

        assertThat(plan.toKeep()).containsExactly(newest, held, heldByTag);
        assertThat(reasons(plan, held)).containsExactly("hold LEGAL-1 (by snapshot)");
        assertThat(reasons(plan, heldByTag)).containsExactly("hold LEGAL-42 (by tag legal)");
        assertThat(plan.decisionFor(held.id()).map(Decision::held)).contains(true);
    }

    @Test
    void anExpiredHoldNoLongerProtectsAndAnActiveOneListsWithTheRules() {
        SnapshotRef newest = at("2026-01-03T00:00:00Z");
        SnapshotRef old = at("2026-01-01T00:00:00Z");
        Instant created = Instant.parse("2026-01-05T00:00:00Z");
        Hold expiresAtNow = Hold.onSnapshot("H-1", old.id(), "", "", created).withExpiry(NOW);
        Hold onNewest = Hold.onSnapshot("H-2", newest.id(), "", "", created).withExpiry(NOW.plusSeconds(1));

        RetentionPlan plan = RetentionEvaluator.evaluate(List.of(newest, old), utc().keepLast(1).build(),
            Set.of(expiresAtNow, onNewest), NOW);

        assertThat(plan.toForget()).containsExactly(old);
        assertThat(reasons(plan, newest)).containsExactly("last 1", "hold H-2 (by snapshot)");
    }

    @Test
    void anAllowedEmptyPolicyForgetsEverythingButHeldSnapshots() {
        SnapshotRef a = at("2026-01-03T00:00:00Z");
        SnapshotRef b = at("2026-01-02T00:00:00Z", "legal");
        RetentionPolicy empty = utc().allowEmpty(true).build();
        RetentionPlan plan = RetentionEvaluator.evaluate(List.of(a, b), empty,
            Set.of(Hold.onTag("L", "legal", "", "", NOW)), NOW);

        assertThat(plan.toKeep()).containsExactly(b);
        assertThat(plan.toForget()).containsExactly(a);
    }

    @Test
    void groupingSeparatesHosts() {
        List<SnapshotRef> snaps = List.of(
            onHost("alpha", "2026-01-03T00:00:00Z"), onHost("alpha", "2026-01-02T00:00:00Z"),
            onHost("beta", "2025-01-01T00:00:00Z"));

        RetentionPlan perHost = RetentionEvaluator.evaluate(snaps, utc().keepLast(1).build(), Set.of(), NOW);
        assertThat(perHost.toKeep()).extracting(SnapshotRef::id)
            .containsExactly("alpha-1767398400", "beta-1735689600");
        assertThat(perHost.groups()).extracting(g -> g.group().toString())
            .containsExactly("host=alpha type=files paths=[/srv]", "host=beta type=files paths=[/srv]");

        RetentionPlan oneGroup = RetentionEvaluator.evaluate(snaps, utc().keepLast(1).groupBy(Set.of()).build(),
            Set.of(), NOW);
        assertThat(oneGroup.toKeep()).extracting(SnapshotRef::id).containsExactly("alpha-1767398400");
        assertThat(oneGroup.groups()).extracting(g -> g.group().toString()).containsExactly("(all snapshots)");
    }

    @Test
    void pathOrderDoesNotSplitAGroupButSourceTypeDoes() {
        Instant t1 = Instant.parse("2026-01-02T00:00:00Z");
        Instant t2 = Instant.parse("2026-01-01T00:00:00Z");
        SnapshotRef ab = new SnapshotRef("s1", t1, Set.of(), "h", List.of("/a", "/b"), "files");
        SnapshotRef ba = new SnapshotRef("s2", t2, Set.of(), "h", List.of("/b", "/a"), "files");
        SnapshotRef pg = new SnapshotRef("s3", t2, Set.of(), "h", List.of("/a", "/b"), "postgres-logical");

        RetentionPlan plan = RetentionEvaluator.evaluate(List.of(ab, ba, pg), utc().keepLast(1).build(), Set.of(),
            NOW);

        assertThat(plan.toKeep()).containsExactlyInAnyOrder(ab, pg);
        assertThat(plan.groups()).hasSize(2);
    }

    @Test
    void aSnapshotListedTwiceIsRefused() {
        SnapshotRef a = at("2026-01-01T00:00:00Z");
        assertThatThrownBy(() -> eval(utc().keepLast(1).build(), a, a))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("listed twice");
    }

    @Test
    void equalTimesAreOrderedById() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        SnapshotRef x = new SnapshotRef("bbbb", t, Set.of(), "h", List.of(), "files");
        SnapshotRef y = new SnapshotRef("aaaa", t, Set.of(), "h", List.of(), "files");
        assertThat(eval(utc().keepLast(1).build(), x, y).toKeep()).containsExactly(y);
        assertThat(eval(utc().keepLast(1).build(), y, x).toKeep()).containsExactly(y);
    }

    @Test
    void noSnapshotsGiveAnEmptyPlan() {
        RetentionPlan plan = eval(utc().keepLast(1).build());
        assertThat(plan.groups()).isEmpty();
        assertThat(plan.keepCount()).isZero();
    }
}
