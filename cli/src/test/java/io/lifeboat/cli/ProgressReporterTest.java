package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the CLI's progress asks a backup for its totals (tests run without a terminal: plain lines). */
class ProgressReporterTest {
    private final PrintStream err = new PrintStream(new ByteArrayOutputStream());

    @Test
    void plainLinesWantTotalsBeforeTheFirstLineIsDue() {
        try (ProgressReporter p = ProgressReporter.create("backup", err, false)) {
            assertThat(p.totalsWantedAfter()).isEqualTo(Duration.ofSeconds(5));
        }
    }

    @Test
    void quietNeverWantsTotals() {
        try (ProgressReporter p = ProgressReporter.create("backup", err, true)) {
            assertThat(p.totalsWantedAfter()).isNull();
        }
    }
}
