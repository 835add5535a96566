package io.lifeboat.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA256 (RFC 5869) with an empty salt, as the format derives every subkey. */
public final class Hkdf {
    private static final int HASH_LENGTH = 32;

    private Hkdf() {
    }

    public static byte[] derive(byte[] ikm, String info, int length) {
        if (length < 1 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 output length must be 1 to " + 255 * HASH_LENGTH);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // Extract: an absent salt is HashLen zero bytes (RFC 5869 section 2.2).
            mac.init(new SecretKeySpec(new byte[HASH_LENGTH], "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            Arrays.fill(prk, (byte) 0);
            byte[] infoBytes = info.getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            for (int i = 1, pos = 0; pos < length; i++) {
                mac.update(t);
                mac.update(infoBytes);
                mac.update((byte) i);
                Arrays.fill(t, (byte) 0);
                t = mac.doFinal();
                System.arraycopy(t, 0, out, pos, Math.min(HASH_LENGTH, length - pos));
                pos += HASH_LENGTH;
            }
            Arrays.fill(t, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
