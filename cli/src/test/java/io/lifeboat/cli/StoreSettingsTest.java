package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.store.decorator.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "500, 500",
        "800K, 800",
        "800k, 800",
        "800KiB, 800",
        "800 KB/s, 800",
        "10M, 10240",
        "10MiB/s, 10240",
        "1.5M, 1536",
        "1G, 1048576",
        "2t, 2147483648",
        "0.1, 1",
        "' 7m ', 7168",
    })
    void parsesRatesInKibPerSecond(String text, long kib) {
        assertThat(StoreSettings.kibPerSecond("--limit-upload", text)).isEqualTo(kib);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fast", "-1", "10X", "M", "1e3", "10 M B", "1,5M", "99999999999999999999T", "5/s/s"})
    void refusesMalformedRatesWithAUsageError(String text) {
        assertThatThrownBy(() -> StoreSettings.kibPerSecond("--limit-download", text))
            .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
            .hasMessageContaining("--limit-download").hasMessageContaining("KiB/s");
    }

    @Test
    void flagsWinOverTheEnvironmentAndDefaultsApply() {
        Map<String, String> env = Map.of("LIFEBOAT_LIMIT_UPLOAD", "1M", "LIFEBOAT_LIMIT_DOWNLOAD", "2M",
            "LIFEBOAT_RETRY_BUDGET", "30s");
        assertThat(StoreSettings.resolve(env, null, null, null))
            .isEqualTo(new StoreSettings(1024, 2048, Duration.ofSeconds(30)));
        assertThat(StoreSettings.resolve(env, "100", null, "5m"))
            .isEqualTo(new StoreSettings(100, 2048, Duration.ofMinutes(5)));
        assertThat(StoreSettings.resolve(Map.of(), null, null, null)).isEqualTo(StoreSettings.DEFAULT);
        assertThatThrownBy(() -> StoreSettings.resolve(Map.of(), null, null, "soon"))
            .isInstanceOf(CliException.class).hasMessageContaining("--retry-budget");
    }

    @Test
    void theRetryBudgetBoundsElapsedTimeNotAttempts() {
        RetryPolicy p = new StoreSettings(0, 0, Duration.ofSeconds(30)).retryPolicy();
        assertThat(p.maxElapsed()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.maxAttempts()).isEqualTo(Integer.MAX_VALUE);
        assertThat(p.initialDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(p.maxDelay()).isEqualTo(Duration.ofSeconds(10));
        RetryPolicy none = new StoreSettings(0, 0, Duration.ZERO).retryPolicy();
        assertThat(none.maxAttempts()).isEqualTo(1);
        RetryPolicy tiny = new StoreSettings(0, 0, Duration.ofMillis(50)).retryPolicy();
        assertThat(tiny.initialDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(tiny.maxDelay()).isEqualTo(Duration.ofMillis(50));
    }
}
