package io.lifeboat.common.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 under one key, with one initialised {@link Mac} per thread. */
public final class HmacSha256 {
    public static final int LENGTH = 32;

    private final ThreadLocal<Mac> mac;

    public HmacSha256(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(spec);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        });
    }

    public byte[] mac(byte[] data, int off, int len) {
        Mac m = mac.get();
        m.update(data, off, len);
        return m.doFinal();
    }

    public byte[] mac(byte[] prefix, byte[] data, int off, int len) {
        Mac m = mac.get();
        m.update(prefix);
        m.update(data, off, len);
        return m.doFinal();
    }

    /** Constant-time comparison of a computed MAC with {@code expected[off, off+32)}. */
    public static boolean equal(byte[] computed, byte[] expected, int off) {
        if (expected.length - off < LENGTH) {
            return false;
        }
        byte[] e = java.util.Arrays.copyOfRange(expected, off, off + LENGTH);
        return MessageDigest.isEqual(computed, e);
    }
}
