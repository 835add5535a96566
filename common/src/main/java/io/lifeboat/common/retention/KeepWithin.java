package io.lifeboat.common.retention;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;

/**
 * The {@code --keep-within} window: a calendar amount written like {@code 7d}, {@code 2w},
 * {@code 1y2m}, {@code 36h} or {@code 1y2m3w4d5h}. Units, in this order and each at most once:
 * {@code y} years, {@code m} months, {@code w} weeks, {@code d} days, {@code h} hours.
 *
 * <p>Years, months, weeks and days are calendar units subtracted in the policy's zone (so
 * {@code 1d} across a daylight-saving change is 23 or 25 real hours: the same wall-clock time one
 * day earlier); hours are real elapsed hours. {@link #NONE} (all zero) turns the rule off.
 */
public record KeepWithin(int years, int months, int weeks, int days, int hours) {
    /** The rule switched off. */
    public static final KeepWithin NONE = new KeepWithin(0, 0, 0, 0, 0);

    private static final String UNITS = "ymwdh";
    private static final int MAX_COMPONENT = 100_000;
    private static final String FORMAT_HINT =
        "expected amounts with units in the order y, m, w, d, h (for example 7d, 2w, 1y2m, 36h)";

    public KeepWithin {
        for (int v : new int[] {years, months, weeks, days, hours}) {
            if (v < 0 || v > MAX_COMPONENT) {
                throw new RetentionPolicyException("--keep-within: each amount must be between 0 and "
                    + MAX_COMPONENT);
            }
        }
    }

    /**
     * Parses the flag value.
     *
     * @throws RetentionPolicyException naming the problem (empty, unknown unit, unit out of order or
     *     repeated, a unit without a number, a zero window)
     */
    public static KeepWithin parse(String text) {
        if (text == null || text.isBlank()) {
            throw new RetentionPolicyException("--keep-within: empty value; " + FORMAT_HINT);
        }
        String s = text.strip();
        int[] values = new int[UNITS.length()];
        int lastUnit = -1;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == start) {
                throw new RetentionPolicyException("--keep-within: '" + s + "' has no number before '"
                    + s.charAt(i) + "'; " + FORMAT_HINT);
            }
            if (i == s.length()) {
                throw new RetentionPolicyException("--keep-within: '" + s + "' ends without a unit; "
                    + FORMAT_HINT);
            }
            int unit = UNITS.indexOf(s.charAt(i));
            if (unit < 0) {
                throw new RetentionPolicyException("--keep-within: unknown unit '" + s.charAt(i) + "' in '"
                    + s + "'; " + FORMAT_HINT);
            }
            if (unit <= lastUnit) {
                throw new RetentionPolicyException("--keep-within: unit '" + s.charAt(i)
                    + "' repeated or out of order in '" + s + "'; " + FORMAT_HINT);
            }
            String digits = s.substring(start, i);
            if (digits.length() > 6 || Integer.parseInt(digits) > MAX_COMPONENT) {
                throw new RetentionPolicyException("--keep-within: amount " + digits + " is too large (at most "
                    + MAX_COMPONENT + ")");
            }
            values[unit] = Integer.parseInt(digits);
            lastUnit = unit;
            i++;
        }
        KeepWithin w = new KeepWithin(values[0], values[1], values[2], values[3], values[4]);
        if (w.isZero()) {
            throw new RetentionPolicyException("--keep-within: '" + s
                + "' is a zero window; leave the flag out to switch the rule off");
        }
        return w;
    }

    public boolean isZero() {
        return years == 0 && months == 0 && weeks == 0 && days == 0 && hours == 0;
    }

    /**
     * The oldest instant still inside the window is strictly after the returned instant: the
     * window ends {@code anchor}, calendar units are subtracted on the wall clock of {@code zone}.
     */
    public Instant threshold(Instant anchor, ZoneId zone) {
        return anchor.atZone(zone)
            .minus(Period.of(years, months, weeks * 7 + days))
            .minusHours(hours)
            .toInstant();
    }

    /** The canonical text, which {@link #parse} reads back: {@code 1y2m}, {@code 7d}, {@code 0h} for NONE. */
    @Override
    public String toString() {
        if (isZero()) {
            return "0h";
        }
        StringBuilder b = new StringBuilder();
        int[] values = {years, months, weeks, days, hours};
        for (int u = 0; u < values.length; u++) {
            if (values[u] != 0) {
                b.append(values[u]).append(UNITS.charAt(u));
            }
        }
        return b.toString();
    }
}
