package io.lifeboat.common.pack;

import java.util.Arrays;
import java.util.HexFormat;

/** The id of a pack: SHA-256 of the whole pack object, 64 lower-case hex digits. */
public final class PackId implements Comparable<PackId> {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;

    private PackId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static PackId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("pack id must be 32 bytes");
        }
        return new PackId(bytes.clone());
    }

    public static PackId of(byte[] src, int offset) {
        return new PackId(Arrays.copyOfRange(src, offset, offset + LENGTH));
    }

    /** Parses 64 hex digits; throws IllegalArgumentException otherwise. */
    public static PackId parse(String hex) {
        if (hex == null || hex.length() != LENGTH * 2 || !hex.equals(hex.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("pack id must be 64 lower-case hex digits");
        }
        return new PackId(HEX.parseHex(hex));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public void writeTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    public boolean matches(byte[] sha256) {
        return Arrays.equals(bytes, sha256);
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(PackId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
