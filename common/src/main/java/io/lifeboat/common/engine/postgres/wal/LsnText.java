package io.lifeboat.common.engine.postgres.wal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * PostgreSQL log sequence numbers as text ({@code 16/B374D848}: high and low 32 bits in hex) and the
 * arithmetic between an LSN and WAL file names. An LSN is handled as an unsigned 64-bit {@code long}.
 */
public final class LsnText {
    private static final Pattern FORM = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

    private LsnText() {
    }

    /**
     * Parses {@code X/Y} (each 1 to 8 hex digits).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static long parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no LSN");
        }
        if (!FORM.matcher(text).matches()) {
            throw new IllegalArgumentException("malformed LSN '" + text + "' (expected e.g. 0/16B3748)");
        }
        int slash = text.indexOf('/');
        long hi = Long.parseLong(text.substring(0, slash), 16);
        long lo = Long.parseLong(text.substring(slash + 1), 16);
        return (hi << 32) | lo;
    }

    /** {@code X/Y} as PostgreSQL prints it (upper-case hex, no leading zeros). */
    public static String format(long lsn) {
        return (Long.toHexString(lsn >>> 32) + "/" + Long.toHexString(lsn & 0xFFFFFFFFL)).toUpperCase(Locale.ROOT);
    }
}
