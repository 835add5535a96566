package io.lifeboat.common.engine.postgres.wal;

/**
 * A PostgreSQL log sequence number: a byte position in the WAL, written {@code X/Y} with both halves
 * in upper-case hex as PostgreSQL prints them.
 *
 * @param value the 64-bit position (compared unsigned, as PostgreSQL does)
 */
public record Lsn(long value) implements Comparable<Lsn> {
    public static final Lsn ZERO = new Lsn(0);

    /** Parses {@code X/Y} ({@code 0/3000028}); case-insensitive. */
    public static Lsn parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no LSN given");
        }
        int slash = text.indexOf('/');
        if (slash < 1 || slash > 8 || text.length() - slash - 1 < 1 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("invalid LSN '" + text + "': expected X/Y in hex, e.g. 0/3000028");
        }
        try {
            long hi = Long.parseLong(text.substring(0, slash), 16);
            long lo = Long.parseLong(text.substring(slash + 1), 16);
            return new Lsn((hi << 32) | lo);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid LSN '" + text + "': expected X/Y in hex, e.g. 0/3000028");
        }
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
