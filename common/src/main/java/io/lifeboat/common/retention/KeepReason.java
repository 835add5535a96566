package io.lifeboat.common.retention;

import java.util.Locale;
import java.util.Objects;

/**
 * One reason a snapshot is kept: the rule and a label naming the period or position that rule
 * matched, for example {@code daily 2026-03-04}, {@code weekly 2026-W10}, {@code last 3},
 * {@code within 7d}, {@code tag monthly-audit}, {@code hold LEGAL-42 (by tag legal)}.
 */
public record KeepReason(Rule rule, String text) {

    /** The rules, in the order a snapshot's reasons are listed. */
    public enum Rule {
        LAST, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY, WITHIN, TAG, HOLD;

        /** Lower-case name for JSON and tables. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public KeepReason {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return text;
    }
}
