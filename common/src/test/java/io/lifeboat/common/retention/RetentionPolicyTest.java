package io.lifeboat.common.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void parsesTheIssuesFlags() {
        RetentionPolicy p = RetentionPolicy.fromFlags(List.of("--keep-last", "3", "--keep-hourly", "24",
            "--keep-daily=30", "--keep-weekly", "52", "--keep-monthly", "84", "--keep-yearly", "-1",
            "--keep-within", "7d", "--keep-tag", "audit", "--keep-tag=monthly-audit", "--zone", "Europe/Berlin"),
            ZoneOffset.UTC);

        assertThat(p.keepLast()).isEqualTo(3);
        assertThat(p.keepHourly()).isEqualTo(24);
        assertThat(p.keepDaily()).isEqualTo(30);
        assertThat(p.keepWeekly()).isEqualTo(52);
        assertThat(p.keepMonthly()).isEqualTo(84);
        assertThat(p.keepYearly()).isEqualTo(-1);
        assertThat(p.keepWithin()).isEqualTo(new KeepWithin(0, 0, 0, 7, 0));
        assertThat(p.keepTags()).containsExactlyInAnyOrder("audit", "monthly-audit");
        assertThat(p.zone()).isEqualTo(BERLIN);
        assertThat(p.groupBy()).isEqualTo(RetentionPolicy.DEFAULT_GROUP_BY);
        assertThat(p.allowEmpty()).isFalse();
    }

    @Test
    void theDefaultZoneAppliesWithoutZoneFlag() {
        assertThat(RetentionPolicy.fromFlags(List.of("--keep-last", "1"), BERLIN).zone()).isEqualTo(BERLIN);
    }

    @Test
    void flagsRoundTrip() {
        RetentionPolicy p = RetentionPolicy.builder().keepLast(3).keepDaily(7).keepYearly(-1).keepWithin("1y2m")
            .keepTags("b", "a").zone(BERLIN).groupBy(GroupBy.HOST, GroupBy.TAGS).build();

        assertThat(p.toString()).isEqualTo("--keep-last 3 --keep-daily 7 --keep-yearly -1 --keep-within 1y2m"
            + " --keep-tag a --keep-tag b --zone Europe/Berlin --group-by=host,tags");
        assertThat(RetentionPolicy.fromFlags(p.toFlags(), ZoneOffset.UTC)).isEqualTo(p);

        RetentionPolicy empty = RetentionPolicy.builder().allowEmpty(true).groupBy(Set.of()).build();
        assertThat(empty.toString()).isEqualTo("--zone UTC --group-by= --allow-empty");
        assertThat(RetentionPolicy.fromFlags(empty.toFlags(), BERLIN)).isEqualTo(empty);
    }

    @Test
    void describeReadsAsASentence() {
        RetentionPolicy p = RetentionPolicy.builder().keepLast(3).keepDaily(7).keepWeekly(4).keepMonthly(12)
            .keepYearly(-1).keepWithin("2d").keepTags("audit").zone(BERLIN).build();
        assertThat(p.describe()).isEqualTo("keep the 3 newest, 7 daily, 4 weekly, 12 monthly, all yearly,"
            + " everything within 2d of the newest, everything tagged audit"
            + " (periods in Europe/Berlin, ISO weeks; per host, type, paths)");
    }

    @Test
    void anEmptyPolicyIsRefusedUnlessAllowed() {
        assertThatThrownBy(() -> RetentionPolicy.builder().build())
            .isInstanceOf(RetentionPolicyException.class)
            .hasMessageContaining("keeps nothing")
            .hasMessageContaining("--allow-empty");
        assertThatThrownBy(() -> RetentionPolicy.fromFlags(List.of("--zone", "UTC"), BERLIN))
            .isInstanceOf(RetentionPolicyException.class).hasMessageContaining("keeps nothing");
        // a typo'd value of 0 everywhere is the case the safeguard is for
        assertThatThrownBy(() -> RetentionPolicy.fromFlags(List.of("--keep-daily", "0", "--keep-last", "0"), BERLIN))
            .isInstanceOf(RetentionPolicyException.class);

        RetentionPolicy allowed = RetentionPolicy.fromFlags(List.of("--allow-empty"), BERLIN);
        assertThat(allowed.isEmpty()).isTrue();
        assertThat(allowed.describe()).startsWith("keep nothing");
    }

    @Test
    void aTagOrWithinAloneIsNotEmpty() {
        assertThat(RetentionPolicy.builder().keepTags("x").build().isEmpty()).isFalse();
        assertThat(RetentionPolicy.builder().keepWithin("1h").build().isEmpty()).isFalse();
    }

    @Test
    void negativeCountsOtherThanMinusOneAreRejected() {
        assertThatThrownBy(() -> RetentionPolicy.builder().keepDaily(-2).build())
            .isInstanceOf(RetentionPolicyException.class)
            .hasMessage("--keep-daily must be 0 (off), a positive count or -1 (unlimited); got -2");
        assertThatThrownBy(() -> RetentionPolicy.parseCount("--keep-weekly", "-5"))
            .hasMessageContaining("--keep-weekly").hasMessageContaining("-5");
    }

    @Test
    void countValuesAreParsedStrictly() {
        assertThat(RetentionPolicy.parseCount("--keep-yearly", "forever")).isEqualTo(-1);
        assertThat(RetentionPolicy.parseCount("--keep-yearly", "unlimited")).isEqualTo(-1);
        assertThat(RetentionPolicy.parseCount("--keep-yearly", " 12 ")).isEqualTo(12);
        for (String bad : List.of("", "abc", "1.5", "7d", "99999999999", "--1")) {
            assertThatThrownBy(() -> RetentionPolicy.parseCount("--keep-daily", bad))
                .as(bad)
                .isInstanceOf(RetentionPolicyException.class)
                .hasMessageStartingWith("--keep-daily must be");
        }
    }

    @Test
    void badFlagsGiveOneReadableLine() {
        assertThatThrownBy(() -> RetentionPolicy.fromFlags(List.of("--keep-dayly", "7"), BERLIN))
            .hasMessage("unknown retention flag '--keep-dayly'");
        assertThatThrownBy(() -> RetentionPolicy.fromFlags(List.of("--keep-daily"), BERLIN))
            .hasMessage("--keep-daily: missing value");
        assertThatThrownBy(() -> RetentionPolicy.fromFlags(List.of("--keep-last", "1", "--zone", "Mars/Olympus"),
            BERLIN)).hasMessageStartingWith("--zone: unknown time zone 'Mars/Olympus'");
        assertThatThrownBy(() -> RetentionPolicy.fromFlags(List.of("--keep-last", "1", "--group-by", "host,os"),
            BERLIN)).hasMessageStartingWith("--group-by: unknown attribute 'os'");
        assertThatThrownBy(() -> RetentionPolicy.fromFlags(List.of("--keep-tag", " "), BERLIN))
            .hasMessage("--keep-tag: a tag must not be empty");
        assertThatThrownBy(() -> RetentionPolicy.fromFlags(List.of("--allow-empty=yes"), BERLIN))
            .hasMessage("--allow-empty takes no value");
    }

    @Test
    void groupByParses() {
        assertThat(RetentionPolicy.parseGroupBy("host,paths")).isEqualTo(EnumSet.of(GroupBy.HOST, GroupBy.PATHS));
        assertThat(RetentionPolicy.parseGroupBy(" TYPE , tags")).isEqualTo(EnumSet.of(GroupBy.SOURCE_TYPE,
            GroupBy.TAGS));
        assertThat(RetentionPolicy.parseGroupBy("")).isEmpty();
    }

    @Test
    void keepWithinParsesUnitsInOrder() {
        assertThat(KeepWithin.parse("7d")).isEqualTo(new KeepWithin(0, 0, 0, 7, 0));
        assertThat(KeepWithin.parse("2w")).isEqualTo(new KeepWithin(0, 0, 2, 0, 0));
        assertThat(KeepWithin.parse("1y2m")).isEqualTo(new KeepWithin(1, 2, 0, 0, 0));
        assertThat(KeepWithin.parse("1y2m3w4d5h")).isEqualTo(new KeepWithin(1, 2, 3, 4, 5));
        assertThat(KeepWithin.parse("36h").toString()).isEqualTo("36h");
        assertThat(KeepWithin.parse("0y7d").toString()).isEqualTo("7d");
        assertThat(KeepWithin.NONE.toString()).isEqualTo("0h");
    }

    @Test
    void keepWithinRejectsMalformedValuesClearly() {
        assertThatThrownBy(() -> KeepWithin.parse("")).hasMessageStartingWith("--keep-within: empty value");
        assertThatThrownBy(() -> KeepWithin.parse("7")).hasMessageContaining("ends without a unit");
        assertThatThrownBy(() -> KeepWithin.parse("d")).hasMessageContaining("has no number before 'd'");
        assertThatThrownBy(() -> KeepWithin.parse("7x")).hasMessageContaining("unknown unit 'x'");
        assertThatThrownBy(() -> KeepWithin.parse("7D")).hasMessageContaining("unknown unit 'D'");
        assertThatThrownBy(() -> KeepWithin.parse("1d2y")).hasMessageContaining("out of order");
        assertThatThrownBy(() -> KeepWithin.parse("1d1d")).hasMessageContaining("repeated");
        assertThatThrownBy(() -> KeepWithin.parse("0d")).hasMessageContaining("zero window");
        assertThatThrownBy(() -> KeepWithin.parse("-1d")).hasMessageContaining("no number before '-'");
        assertThatThrownBy(() -> KeepWithin.parse("9999999d")).hasMessageContaining("too large");
        assertThatThrownBy(() -> KeepWithin.parse("1 d")).hasMessageContaining("unknown unit ' '");
        for (String bad : List.of("", "7", "d", "7x", "1d2y", "0d", "1.5d", "P7D")) {
            assertThatThrownBy(() -> KeepWithin.parse(bad)).as(bad).isInstanceOf(RetentionPolicyException.class);
        }
    }
}
