package io.lifeboat.common.format;

import io.lifeboat.common.repository.CorruptObjectException;

/**
 * Reads big-endian fields from a byte range and turns every overrun into a
 * {@link CorruptObjectException} naming the object, so parsers need no bounds checks of their own.
 */
public final class ByteReader {
    private final byte[] buf;
    private final int end;
    private final String object;
    private int pos;

    public ByteReader(byte[] buf, int off, int len, String object) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.object = object;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    public byte[] buffer() {
        return buf;
    }

    private void need(int n) {
        if (n < 0 || end - pos < n) {
            throw corrupt("truncated");
        }
    }

    public int u8() {
        need(1);
        return buf[pos++] & 0xff;
    }

    /** An unsigned 32-bit field that must fit an int (at most 2^31-1), as every length does. */
    public int u32() {
        long v = u32Long();
        if (v > Integer.MAX_VALUE) {
            throw corrupt("length field out of range");
        }
        return (int) v;
    }

    public long u32Long() {
        need(4);
        long v = ((buf[pos] & 0xffL) << 24) | ((buf[pos + 1] & 0xffL) << 16) | ((buf[pos + 2] & 0xffL) << 8) | (buf[pos + 3] & 0xffL);
        pos += 4;
        return v;
    }

    public long u64() {
        long hi = u32Long();
        long lo = u32Long();
        long v = (hi << 32) | lo;
        if (v < 0) {
            throw corrupt("length field out of range");
        }
        return v;
    }

    /** Skips {@code n} bytes and returns the offset where they start. */
    public int skip(int n) {
        need(n);
        int at = pos;
        pos += n;
        return at;
    }

    public byte[] bytes(int n) {
        need(n);
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public void expectEnd() {
        if (pos != end) {
            throw corrupt("unexpected trailing bytes");
        }
    }

    public CorruptObjectException corrupt(String why) {
        return new CorruptObjectException(object + " is corrupt: " + why);
    }

    public static void putU32(byte[] dst, int off, long v) {
        dst[off] = (byte) (v >>> 24);
        dst[off + 1] = (byte) (v >>> 16);
        dst[off + 2] = (byte) (v >>> 8);
        dst[off + 3] = (byte) v;
    }

    public static void putU64(byte[] dst, int off, long v) {
        putU32(dst, off, v >>> 32);
        putU32(dst, off + 4, v);
    }

    public static long u32At(byte[] src, int off) {
        return ((src[off] & 0xffL) << 24) | ((src[off + 1] & 0xffL) << 16) | ((src[off + 2] & 0xffL) << 8) | (src[off + 3] & 0xffL);
    }
}
