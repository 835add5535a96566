package io.lifeboat.common.engine.postgres;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * xxHash64 (XXH64, Yann Collet; the algorithm of the xxHash specification, {@code doc/xxhash_spec.md}
 * in the reference repository), with seed 0: a fast non-cryptographic 64-bit hash. Used to checksum
 * COPY lines ({@link PgCopyLineHasher}), where it only has to catch accidental differences between
 * what was dumped and what was restored; the repository's own integrity is HMAC and AES-GCM.
 *
 * <p>Two forms: {@link #hash} for bytes that are all at hand, and an instance that takes them in
 * pieces ({@link #update}, {@link #digest}) for a line cut across reads; both give the same value.
 * Instances are not thread-safe.
 */
final class Xxh64 {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    // Streaming state: four lanes once a 32-byte stripe is complete, the bytes of an incomplete stripe.
    private long v1;
    private long v2;
    private long v3;
    private long v4;
    private long total;
    private final byte[] stripe = new byte[32];
    private int buffered;

    Xxh64() {
        reset();
    }

    /** Starts a new message. */
    void reset() {
        v1 = P1 + P2;
        v2 = P2;
        v3 = 0;
        v4 = -P1;
        total = 0;
        buffered = 0;
    }

    void update(byte[] b, int off, int len) {
        total += len;
        if (buffered > 0) {
            int n = Math.min(len, 32 - buffered);
            System.arraycopy(b, off, stripe, buffered, n);
            buffered += n;
            off += n;
            len -= n;
            if (buffered < 32) {
                return;
            }
            stripe(stripe, 0);
            buffered = 0;
        }
        int end = off + len;
        for (; off + 32 <= end; off += 32) {
            stripe(b, off);
        }
        if (off < end) {
            System.arraycopy(b, off, stripe, 0, end - off);
            buffered = end - off;
        }
    }

    /** The hash of everything since the last {@link #reset}; the state is left as it was. */
    long digest() {
        long h;
        if (total >= 32) {
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = P5;
        }
        h += total;
        return finish(h, stripe, 0, buffered);
    }

    private void stripe(byte[] b, int off) {
        v1 = round(v1, (long) LONG.get(b, off));
        v2 = round(v2, (long) LONG.get(b, off + 8));
        v3 = round(v3, (long) LONG.get(b, off + 16));
        v4 = round(v4, (long) LONG.get(b, off + 24));
    }

    /** XXH64 of {@code len} bytes of {@code b} from {@code off}, seed 0. */
    static long hash(byte[] b, int off, int len) {
        int end = off + len;
        long h;
        if (len >= 32) {
            long a1 = P1 + P2;
            long a2 = P2;
            long a3 = 0;
            long a4 = -P1;
            int limit = end - 32;
            do {
                a1 = round(a1, (long) LONG.get(b, off));
                a2 = round(a2, (long) LONG.get(b, off + 8));
                a3 = round(a3, (long) LONG.get(b, off + 16));
                a4 = round(a4, (long) LONG.get(b, off + 24));
                off += 32;
            } while (off <= limit);
            h = Long.rotateLeft(a1, 1) + Long.rotateLeft(a2, 7) + Long.rotateLeft(a3, 12) + Long.rotateLeft(a4, 18);
            h = merge(h, a1);
            h = merge(h, a2);
            h = merge(h, a3);
            h = merge(h, a4);
        } else {
            h = P5;
        }
        h += len;
        return finish(h, b, off, end - off);
    }

    /** The last fewer than 32 bytes, then the avalanche. */
    private static long finish(long h, byte[] b, int off, int len) {
        int end = off + len;
        for (; off + 8 <= end; off += 8) {
            h ^= round(0, (long) LONG.get(b, off));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (off + 4 <= end) {
            h ^= ((int) INT.get(b, off) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            off += 4;
        }
        for (; off < end; off++) {
            h ^= (b[off] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long merge(long acc, long lane) {
        acc ^= round(0, lane);
        return acc * P1 + P4;
    }
}
