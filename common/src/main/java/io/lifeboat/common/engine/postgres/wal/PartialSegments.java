package io.lifeboat.common.engine.postgres.wal;

/**
 * How much of a {@code .partial} segment holds WAL. pg_receivewal creates the file at full segment
 * size, zero-filled, and writes WAL into it from the start; WAL is never zero for a whole aligned
 * record, so the valid part ends after the last non-zero byte, rounded up to PostgreSQL's 8-byte
 * alignment. Recovery reads the zero tail as "no more records", so trimming there loses nothing.
 */
public final class PartialSegments {
    private static final int ALIGN = 8;

    private PartialSegments() {
    }

    /** The number of leading bytes of {@code data[0..length)} that hold WAL. */
    public static int validBytes(byte[] data, int length) {
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + data.length);
        }
        int i = length - 1;
        // Whole 8-byte words first: a partial segment is mostly zeros at its end.
        while (i >= 7 && (i & 7) == 7 && data[i] == 0 && data[i - 1] == 0 && data[i - 2] == 0 && data[i - 3] == 0
                && data[i - 4] == 0 && data[i - 5] == 0 && data[i - 6] == 0 && data[i - 7] == 0) {
            i -= 8;
        }
        while (i >= 0 && data[i] == 0) {
            i--;
        }
        if (i < 0) {
            return 0;
        }
        int end = i + 1;
        int aligned = (end + ALIGN - 1) / ALIGN * ALIGN;
        return Math.min(aligned, length);
    }
}
