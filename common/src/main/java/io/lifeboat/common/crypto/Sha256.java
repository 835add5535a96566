package io.lifeboat.common.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the content id of packs, index files, keyrings and manifests. */
public final class Sha256 {
    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** The digest is fed in slices of this size; see {@link #hash}. */
    private static final int SLICE = 64 * 1024;

    /**
     * Hashes {@code data}. Large inputs are fed in 64 KiB slices: the JIT maps the multi-block
     * routine onto the SHA instructions only in a compiled caller, and one 16 MiB call (a whole
     * pack) stays in the caller's interpreted frame, block by block, for its whole length.
     */
    public static byte[] hash(byte[] data) {
        return hash(data, 0, data.length);
    }

    /** Hashes {@code data[off, off + len)}, in slices as {@link #hash(byte[])}. */
    public static byte[] hash(byte[] data, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, data.length);
        MessageDigest d = newDigest();
        for (int at = off, end = off + len; at < end; at += SLICE) {
            d.update(data, at, Math.min(SLICE, end - at));
        }
        return d.digest();
    }

    public static String hex(byte[] data) {
        return java.util.HexFormat.of().formatHex(hash(data));
    }
}
