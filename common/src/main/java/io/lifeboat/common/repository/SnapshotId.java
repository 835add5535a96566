package io.lifeboat.common.repository;

import java.util.HexFormat;

/**
 * The id of a snapshot: SHA-256 of its stored manifest object, 64 hex digits. Users may name a
 * snapshot by any unique prefix of at least 4 digits, or by {@code latest}.
 */
public record SnapshotId(String hex) {
    public SnapshotId {
        if (hex == null || hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                || !hex.equals(hex.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("snapshot id must be 64 lower-case hex digits");
        }
    }

    public static SnapshotId of(byte[] sha256) {
        return new SnapshotId(HexFormat.of().formatHex(sha256));
    }

    public String shortHex() {
        return hex.substring(0, 8);
    }

    @Override
    public String toString() {
        return hex;
    }
}
