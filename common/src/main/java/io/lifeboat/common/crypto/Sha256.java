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

    public static byte[] hash(byte[] data) {
        return newDigest().digest(data);
    }

    public static String hex(byte[] data) {
        return java.util.HexFormat.of().formatHex(hash(data));
    }
}
