package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProcessStartTest {
    private static final Instant NOW = Instant.parse("2026-11-23T05:00:00Z");
    private static final String STAT = "10191 (cat) R 10185 10185 6481 0 -1 4194304 128 0 0 0 0 0 0 0 20 0 1 0 475908 3133440 375 18446744073709551615 0 0";

    @Test
    void ageIsUptimeMinusTheStartTick() {
        assertThat(ProcessStart.fromProc(STAT, "4761.59 923.53\n", NOW)).hasValue(NOW.minusMillis(2510));
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesIsSkipped() {
        String stat = "42 (java (x) y) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0";
        assertThat(ProcessStart.fromProc(stat, "3.5 0", NOW)).hasValue(NOW.minusMillis(2500));
    }

    @Test
    void malformedInputGivesEmpty() {
        assertThat(ProcessStart.fromProc("", "1 1", NOW)).isEmpty();
        assertThat(ProcessStart.fromProc("42 cat R 1 2 3", "1 1", NOW)).isEmpty();
        assertThat(ProcessStart.fromProc("42 (cat) R 1 2 3", "1 1", NOW)).isEmpty();
        assertThat(ProcessStart.fromProc(STAT, "", NOW)).isEmpty();
        assertThat(ProcessStart.fromProc(STAT, "NaN 1", NOW)).isEmpty();
        assertThat(ProcessStart.fromProc(STAT, "1e9 1", NOW)).isEmpty();
        assertThat(ProcessStart.fromProc(STAT, "-5 1", NOW)).isEmpty();
        assertThat(ProcessStart.fromProc(STAT.replace("475908", "-475908"), "4761.59 0", NOW)).isEmpty();
        assertThat(ProcessStart.fromProc(STAT.replace("475908", "99999999999999999999"), "4761.59 0", NOW)).isEmpty();
        // A start after the uptime (clock read out of order, or a forged file) is not believed.
        assertThat(ProcessStart.fromProc(STAT, "4000.00 0", NOW)).isEmpty();
    }

    @Test
    void onThisMachineTheStartIsNotInTheFuture() {
        assertThat(ProcessStart.now()).isBeforeOrEqualTo(Instant.now());
    }
}
