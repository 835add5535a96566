package io.lifeboat.common.engine.postgres.wal;

/**
 * A PostgreSQL log sequence number: a byte position in the WAL, written {@code X/Y} with both halves
 * in upper-case hex as PostgreSQL prints them.
 *
 * @param value the 64-bit position (compared unsigned, as PostgreSQL does)
 */
public record Lsn(long value) implements Comparable<Lsn> {
    public static final Lsn ZERO = new Lsn(0);
    /** Hex digits only: Long.parseLong alone would take a sign ({@code 0/-1}). */
    private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

    /** Parses {@code X/Y} ({@code 0/3000028}); case-insensitive. */
    public static Lsn parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no LSN given");
        }
        if (!FORM.matcher(text).matches()) {
            throw new IllegalArgumentException("invalid LSN '" + text + "': expected X/Y in hex, e.g. 0/3000028");
        }
        int slash = text.indexOf('/');
        long hi = Long.parseLong(text.substring(0, slash), 16);
        long lo = Long.parseLong(text.substring(slash + 1), 16);
        return new Lsn((hi << 32) | lo);
    }

    /** The segment number holding this position, for segments of {@code segmentSize} bytes. */
    public long segmentNumber(long segmentSize) {
        return Long.divideUnsigned(value, segmentSize);
    }

    @Override
    public int compareTo(Lsn o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return String.format("%X/%X", value >>> 32, value & 0xFFFFFFFFL);
    }
}
