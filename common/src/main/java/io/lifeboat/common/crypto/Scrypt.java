package io.lifeboat.common.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * scrypt (RFC 7914) with PBKDF2-HMAC-SHA256 from the JDK: the key-derivation function of
 * passphrase key slots.
 *
 * <p>Why not Bouncy Castle's: every repository open runs one scrypt, usually in a fresh JVM, so
 * what counts is the cold run. This one keeps the 16-word Salsa20/8 state in locals and the
 * memory-hard loop in one method, which C2 compiles (on-stack replacement) within the first
 * milliseconds; it is about twice as fast as Bouncy Castle's in a cold JVM and avoids loading
 * classes from a signed jar, which the JVM verifies on first use.
 *
 * <p>Threading: stateless; safe from any thread.
 */
public final class Scrypt {
    private Scrypt() {
    }

    /**
     * Derives {@code dkLen} bytes.
     *
     * @param n CPU/memory cost, a power of two above 1
     * @param r block size
     * @param p parallelisation
     * @throws IllegalArgumentException if the parameters are out of range
     */
    public static byte[] derive(byte[] password, byte[] salt, int n, int r, int p, int dkLen) {
        if (n < 2 || (n & (n - 1)) != 0) {
            throw new IllegalArgumentException("scrypt N must be a power of two above 1");
        }
        if (r < 1 || p < 1 || (long) r * p >= 1 << 30 || (long) n * r > Integer.MAX_VALUE / 32 || dkLen < 1) {
            throw new IllegalArgumentException("scrypt parameters out of range");
        }
        Mac prf = hmac(password);
        int blockWords = 32 * r;
        byte[] b = pbkdf2(prf, salt, p * 128 * r);
        int[] x = new int[blockWords];
        int[] y = new int[blockWords];
        int[] v = new int[blockWords * n];
        try {
            for (int i = 0; i < p; i++) {
                int off = i * 128 * r;
                for (int k = 0; k < blockWords; k++) {
                    x[k] = intLe(b, off + 4 * k);
                }
                roMix(x, y, v, n, r);
                for (int k = 0; k < blockWords; k++) {
                    putIntLe(b, off + 4 * k, x[k]);
                }
            }
            return pbkdf2(prf, b, dkLen);
        } finally {
            Arrays.fill(b, (byte) 0);
            Arrays.fill(x, 0);
            Arrays.fill(y, 0);
            Arrays.fill(v, 0);
        }
    }

    /** scryptROMix on {@code x} in place; {@code y} is scratch of the same length. */
    private static void roMix(int[] x, int[] y, int[] v, int n, int r) {
        int words = x.length;
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, 0, v, i * words, words);
            blockMix(x, y, r);
        }
        int last = (2 * r - 1) * 16;
        for (int i = 0; i < n; i++) {
            int j = x[last] & (n - 1);
            int base = j * words;
            for (int k = 0; k < words; k++) {
                x[k] ^= v[base + k];
            }
            blockMix(x, y, r);
        }
    }

    /** scryptBlockMix: {@code b} becomes its mix; {@code y} is scratch. */
    private static void blockMix(int[] b, int[] y, int r) {
        int x0 = b[(2 * r - 1) * 16], x1 = b[(2 * r - 1) * 16 + 1], x2 = b[(2 * r - 1) * 16 + 2], x3 = b[(2 * r - 1) * 16 + 3];
        int x4 = b[(2 * r - 1) * 16 + 4], x5 = b[(2 * r - 1) * 16 + 5], x6 = b[(2 * r - 1) * 16 + 6], x7 = b[(2 * r - 1) * 16 + 7];
        int x8 = b[(2 * r - 1) * 16 + 8], x9 = b[(2 * r - 1) * 16 + 9], x10 = b[(2 * r - 1) * 16 + 10];
        int x11 = b[(2 * r - 1) * 16 + 11], x12 = b[(2 * r - 1) * 16 + 12], x13 = b[(2 * r - 1) * 16 + 13];
        int x14 = b[(2 * r - 1) * 16 + 14], x15 = b[(2 * r - 1) * 16 + 15];
        for (int i = 0; i < 2 * r; i++) {
            int o = i * 16;
            x0 ^= b[o]; x1 ^= b[o + 1]; x2 ^= b[o + 2]; x3 ^= b[o + 3];
            x4 ^= b[o + 4]; x5 ^= b[o + 5]; x6 ^= b[o + 6]; x7 ^= b[o + 7];
            x8 ^= b[o + 8]; x9 ^= b[o + 9]; x10 ^= b[o + 10]; x11 ^= b[o + 11];
            x12 ^= b[o + 12]; x13 ^= b[o + 13]; x14 ^= b[o + 14]; x15 ^= b[o + 15];
            int s0 = x0, s1 = x1, s2 = x2, s3 = x3, s4 = x4, s5 = x5, s6 = x6, s7 = x7;
            int s8 = x8, s9 = x9, s10 = x10, s11 = x11, s12 = x12, s13 = x13, s14 = x14, s15 = x15;
            for (int round = 0; round < 8; round += 2) {
                s4 ^= Integer.rotateLeft(s0 + s12, 7); s8 ^= Integer.rotateLeft(s4 + s0, 9);
                s12 ^= Integer.rotateLeft(s8 + s4, 13); s0 ^= Integer.rotateLeft(s12 + s8, 18);
                s9 ^= Integer.rotateLeft(s5 + s1, 7); s13 ^= Integer.rotateLeft(s9 + s5, 9);
                s1 ^= Integer.rotateLeft(s13 + s9, 13); s5 ^= Integer.rotateLeft(s1 + s13, 18);
                s14 ^= Integer.rotateLeft(s10 + s6, 7); s2 ^= Integer.rotateLeft(s14 + s10, 9);
                s6 ^= Integer.rotateLeft(s2 + s14, 13); s10 ^= Integer.rotateLeft(s6 + s2, 18);
                s3 ^= Integer.rotateLeft(s15 + s11, 7); s7 ^= Integer.rotateLeft(s3 + s15, 9);
                s11 ^= Integer.rotateLeft(s7 + s3, 13); s15 ^= Integer.rotateLeft(s11 + s7, 18);
                s1 ^= Integer.rotateLeft(s0 + s3, 7); s2 ^= Integer.rotateLeft(s1 + s0, 9);
                s3 ^= Integer.rotateLeft(s2 + s1, 13); s0 ^= Integer.rotateLeft(s3 + s2, 18);
                s6 ^= Integer.rotateLeft(s5 + s4, 7); s7 ^= Integer.rotateLeft(s6 + s5, 9);
                s4 ^= Integer.rotateLeft(s7 + s6, 13); s5 ^= Integer.rotateLeft(s4 + s7, 18);
                s11 ^= Integer.rotateLeft(s10 + s9, 7); s8 ^= Integer.rotateLeft(s11 + s10, 9);
                s9 ^= Integer.rotateLeft(s8 + s11, 13); s10 ^= Integer.rotateLeft(s9 + s8, 18);
                s12 ^= Integer.rotateLeft(s15 + s14, 7); s13 ^= Integer.rotateLeft(s12 + s15, 9);
                s14 ^= Integer.rotateLeft(s13 + s12, 13); s15 ^= Integer.rotateLeft(s14 + s13, 18);
            }
            x0 += s0; x1 += s1; x2 += s2; x3 += s3; x4 += s4; x5 += s5; x6 += s6; x7 += s7;
            x8 += s8; x9 += s9; x10 += s10; x11 += s11; x12 += s12; x13 += s13; x14 += s14; x15 += s15;
            // Even outputs go to the first half, odd ones to the second (RFC 7914 section 4).
            int d = ((i & 1) == 0 ? i / 2 : r + i / 2) * 16;
            y[d] = x0; y[d + 1] = x1; y[d + 2] = x2; y[d + 3] = x3;
            y[d + 4] = x4; y[d + 5] = x5; y[d + 6] = x6; y[d + 7] = x7;
            y[d + 8] = x8; y[d + 9] = x9; y[d + 10] = x10; y[d + 11] = x11;
            y[d + 12] = x12; y[d + 13] = x13; y[d + 14] = x14; y[d + 15] = x15;
        }
        System.arraycopy(y, 0, b, 0, b.length);
    }

    /** PBKDF2-HMAC-SHA256 with one iteration (all scrypt needs). */
    private static byte[] pbkdf2(Mac prf, byte[] salt, int length) {
        byte[] out = new byte[length];
        byte[] counter = new byte[4];
        for (int block = 1, pos = 0; pos < length; block++, pos += 32) {
            counter[0] = (byte) (block >>> 24);
            counter[1] = (byte) (block >>> 16);
            counter[2] = (byte) (block >>> 8);
            counter[3] = (byte) block;
            prf.update(salt);
            prf.update(counter);
            byte[] t = prf.doFinal();
            System.arraycopy(t, 0, out, pos, Math.min(32, length - pos));
            Arrays.fill(t, (byte) 0);
        }
        return out;
    }

    private static Mac hmac(byte[] password) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            // HMAC pads its key with zeros to the block size, so an empty key equals one zero byte;
            // SecretKeySpec refuses empty keys.
            m.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static int intLe(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    private static void putIntLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
