package io.lifeboat.common.repository;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The id of a blob: HMAC-SHA256 of its plaintext under the repository's id key, so the bucket
 * does not reveal which known files it holds. 32 bytes, written as 64 lower-case hex digits.
 */
public final class BlobId implements Comparable<BlobId> {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;

    private BlobId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Copies {@code bytes}, which must be exactly {@value #LENGTH} long. */
    public static BlobId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("blob id must be " + LENGTH + " bytes, got " + bytes.length);
        }
        return new BlobId(bytes.clone());
    }

    public static BlobId of(byte[] src, int offset) {
        return new BlobId(Arrays.copyOfRange(src, offset, offset + LENGTH));
    }

    public static BlobId parse(String hex) {
        if (hex == null || hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("blob id must be " + LENGTH * 2 + " hex digits");
        }
        return new BlobId(HEX.parseHex(hex));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public void writeTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** The first 8 hex digits, for humans. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(BlobId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
