package io.lifeboat.common.engine.postgres;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Counts and checksums the lines of PostgreSQL {@code COPY ... TO STDOUT} text output. Per line (the
 * bytes before its {@code '\n'}, in the client encoding) a 64-bit value; the checksum is the sum of
 * those over all lines modulo 2<sup>64</sup>, written as an unsigned decimal, so it is independent of
 * row order. Two algorithms, which differ only in the line value:
 *
 * <ul>
 *   <li>{@value #ALGORITHM} (what backups take since manifest version 3): the line's xxHash64 with
 *       seed 0 ({@link Xxh64}), as an unsigned 64-bit integer;
 *   <li>{@value #SHA256_ALGORITHM} (manifest version 2, still validated): the first 8 bytes of the
 *       line's SHA-256 read as a big-endian 64-bit integer.
 * </ul>
 *
 * <p>A line that is exactly {@code \.} (COPY's end-of-data marker) ends the data; nothing after it
 * counts. Bytes may arrive cut anywhere. Not thread-safe.
 */
final class PgCopyLineHasher {
    static final String ALGORITHM = "copy-sum-xxh64";
    static final String SHA256_ALGORITHM = "copy-sum-sha256-64";
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** Null for xxHash64. */
    private final MessageDigest sha;
    /** The line cut across reads, for xxHash64; null for SHA-256. */
    private final Xxh64 partial;
    private long rows;
    private long sum;
    private long lineLength;
    private byte first;
    private byte second;
    private boolean ended;

    /** A hasher of {@value #ALGORITHM}. */
    PgCopyLineHasher() {
        this(ALGORITHM);
    }

    /** @throws IllegalArgumentException if {@code algorithm} is not one of the {@link #knows known} */
    PgCopyLineHasher(String algorithm) {
        if (ALGORITHM.equals(algorithm)) {
            sha = null;
            partial = new Xxh64();
        } else if (SHA256_ALGORITHM.equals(algorithm)) {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            partial = null;
        } else {
            throw new IllegalArgumentException("unknown COPY line checksum algorithm " + algorithm);
        }
    }

    /** True for the algorithms this class computes. */
    static boolean knows(String algorithm) {
        return ALGORITHM.equals(algorithm) || SHA256_ALGORITHM.equals(algorithm);
    }

    void update(byte[] b, int off, int len) {
        int end = off + len;
        int start = off;
        while (start < end && !ended) {
            int nl = indexOfNewline(b, start, end);
            int n = nl - start;
            if (nl == end) {
                more(b, start, n);
                return;
            }
            if (lineLength == 0) {
                whole(b, start, n);
            } else {
                more(b, start, n);
                endLine();
            }
            start = nl + 1;
        }
    }

    /** A line wholly in {@code b}: the common case, hashed in one call. */
    private void whole(byte[] b, int start, int n) {
        if (n == 2 && b[start] == '\\' && b[start + 1] == '.') {
            ended = true;
            return;
        }
        if (sha == null) {
            sum += Xxh64.hash(b, start, n);
        } else {
            sha.update(b, start, n);
            sum += shaValue();
        }
        rows++;
    }

    /** Part of a line that continues, or ends, beyond {@code b}. */
    private void more(byte[] b, int start, int n) {
        if (n == 0) {
            return;
        }
        if (lineLength == 0) {
            first = b[start];
            if (n > 1) {
                second = b[start + 1];
            }
        } else if (lineLength == 1) {
            second = b[start];
        }
        lineLength += n;
        if (sha == null) {
            partial.update(b, start, n);
        } else {
            sha.update(b, start, n);
        }
    }

    /** Ends a line that came in pieces. */
    private void endLine() {
        if (lineLength == 2 && first == '\\' && second == '.') {
            ended = true;
        } else {
            sum += sha == null ? partial.digest() : shaValue();
            rows++;
        }
        if (partial != null) {
            partial.reset();
        } else {
            sha.reset();
        }
        lineLength = 0;
    }

    private long shaValue() {
        byte[] d = sha.digest();
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xFF);
        }
        return v;
    }

    /**
     * The index of the first {@code '\n'} in {@code b[from, end)}, or {@code end}. Eight bytes at a
     * time: in {@code x = word ^ 0x0A..0A} a newline is a zero byte, and {@code (x - 0x01..01) & ~x &
     * 0x80..80} is non-zero exactly when {@code x} has one; its lowest set bit marks the first (a borrow
     * only disturbs the bytes above a zero byte, never below).
     */
    static int indexOfNewline(byte[] b, int from, int end) {
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long x = (long) LONG.get(b, i) ^ NEWLINES;
            long t = (x - ONES) & ~x & HIGHS;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    /** Ends a last line that lacks its {@code '\n'} (COPY output never does; kept for robustness). */
    void finish() {
        if (lineLength > 0 && !ended) {
            endLine();
        }
    }

    long rows() {
        return rows;
    }

    /** The checksum: the line hash sum modulo 2^64 as an unsigned decimal. */
    String checksum() {
        return Long.toUnsignedString(sum);
    }
}
