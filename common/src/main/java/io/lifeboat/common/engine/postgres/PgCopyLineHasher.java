package io.lifeboat.common.engine.postgres;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Counts and checksums the lines of PostgreSQL {@code COPY ... TO STDOUT} text output, algorithm
 * {@value #ALGORITHM}: per line (the bytes before its {@code '\n'}, in the client encoding), the first
 * 8 bytes of its SHA-256 read as a big-endian signed 64-bit integer; the checksum is the sum of those
 * over all lines modulo 2<sup>64</sup>, written as an unsigned decimal. A sum is independent of row
 * order. A line that is exactly {@code \.} (COPY's end-of-data marker) ends the data; nothing after it
 * counts. Bytes may arrive cut anywhere. Not thread-safe.
 */
final class PgCopyLineHasher {
    static final String ALGORITHM = "copy-sum-sha256-64";

    private final MessageDigest sha;
    private long rows;
    private long sum;
    private long lineLength;
    private byte first;
    private byte second;
    private boolean ended;

    PgCopyLineHasher() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void update(byte[] b, int off, int len) {
        int end = off + len;
        int start = off;
        while (start < end && !ended) {
            int nl = start;
            while (nl < end && b[nl] != '\n') {
                nl++;
            }
            int n = nl - start;
            if (n > 0) {
                if (lineLength == 0) {
                    first = b[start];
                    if (n > 1) {
                        second = b[start + 1];
                    }
                } else if (lineLength == 1) {
                    second = b[start];
                }
                lineLength += n;
                sha.update(b, start, n);
            }
            if (nl == end) {
                return;
            }
            endLine();
            start = nl + 1;
        }
    }

    private void endLine() {
        byte[] d = sha.digest();
        if (lineLength == 2 && first == '\\' && second == '.') {
            ended = true;
        } else {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xFF);
            }
            sum += v;
            rows++;
        }
        lineLength = 0;
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
