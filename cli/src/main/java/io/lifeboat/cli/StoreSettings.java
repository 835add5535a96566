package io.lifeboat.cli;

import io.lifeboat.common.store.decorator.RetryPolicy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the CLI talks to object stores, from {@code --limit-upload}, {@code --limit-download} and
 * {@code --retry-budget} (else {@code LIFEBOAT_LIMIT_UPLOAD}, {@code LIFEBOAT_LIMIT_DOWNLOAD},
 * {@code LIFEBOAT_RETRY_BUDGET}).
 *
 * @param uploadKibPerSecond upload limit in KiB/s; 0 for none
 * @param downloadKibPerSecond download limit in KiB/s; 0 for none
 * @param retryBudget how long one store call may keep retrying transient failures (5xx, throttling,
 *     timeouts, connection refused or reset) before the command fails; zero for no retry.
 *     Defaults to {@link #DEFAULT_RETRY_BUDGET}, which rides out a server restart or a network
 *     outage of a minute or so
 */
record StoreSettings(long uploadKibPerSecond, long downloadKibPerSecond, Duration retryBudget) {
    static final Duration DEFAULT_RETRY_BUDGET = Duration.ofMinutes(2);
    static final StoreSettings DEFAULT = new StoreSettings(0, 0, DEFAULT_RETRY_BUDGET);

    /** First backoff of a retry; it doubles after each failure up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?(?:/s)?");

    StoreSettings {
        if (uploadKibPerSecond < 0 || downloadKibPerSecond < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        if (retryBudget == null || retryBudget.isNegative()) {
            throw new IllegalArgumentException("retry budget must not be negative");
        }
    }

    /** Reads the flags, falling back to the environment; malformed values are usage errors. */
    static StoreSettings resolve(Map<String, String> env, String limitUpload, String limitDownload, String retryBudget) {
        String up = first(limitUpload, env.get("LIFEBOAT_LIMIT_UPLOAD"));
        String down = first(limitDownload, env.get("LIFEBOAT_LIMIT_DOWNLOAD"));
        String budget = first(retryBudget, env.get("LIFEBOAT_RETRY_BUDGET"));
        return new StoreSettings(up == null ? 0 : kibPerSecond("--limit-upload", up),
            down == null ? 0 : kibPerSecond("--limit-download", down),
            budget == null ? DEFAULT_RETRY_BUDGET : PruneFlags.duration("--retry-budget", budget));
    }

    /**
     * Parses a rate in KiB/s: a bare number is KiB/s; a suffix {@code K}, {@code M}, {@code G} or
     * {@code T} (optionally followed by {@code iB} or {@code B}, and {@code /s}; any case) scales
     * by 1024. {@code 0} means no limit; a rate below 1 KiB/s rounds up to 1 KiB/s.
     */
    static long kibPerSecond(String flag, String text) {
        Matcher m = RATE.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw usage(flag, text);
        }
        BigDecimal value = new BigDecimal(m.group(1));
        int shift = switch (m.group(2)) {
            case "", "k" -> 0;
            case "m" -> 10;
            case "g" -> 20;
            default -> 30;
        };
        BigDecimal kib = value.multiply(BigDecimal.valueOf(1L << shift)).setScale(0, RoundingMode.CEILING);
        if (kib.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1024)) > 0) {
            throw usage(flag, text);
        }
        return kib.longValueExact();
    }

    private static CliException usage(String flag, String text) {
        return new CliException(flag + " needs a rate in KiB/s such as 500, 800K, 10M or 1G, got '" + text + "'",
            ExitCodes.USAGE);
    }

    /**
     * The retry policy: exponential backoff with full jitter from {@link #FIRST_BACKOFF} up to
     * {@link #MAX_BACKOFF}, as many attempts as fit in the budget.
     */
    RetryPolicy retryPolicy() {
        if (retryBudget.isZero()) {
            return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
        Duration first = FIRST_BACKOFF.compareTo(retryBudget) < 0 ? FIRST_BACKOFF : retryBudget;
        Duration max = MAX_BACKOFF.compareTo(retryBudget) < 0 ? MAX_BACKOFF : retryBudget;
        return new RetryPolicy(Integer.MAX_VALUE, first, max, retryBudget);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
