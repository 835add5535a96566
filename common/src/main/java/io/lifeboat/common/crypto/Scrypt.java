package io.lifeboat.common.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * scrypt (RFC 7914) with PBKDF2-HMAC-SHA256 from the JDK: the key-derivation function of
 * passphrase key slots.
 *
 * <p>Why not Bouncy Castle's: every repository open runs one scrypt, usually in a fresh JVM, and
 * Bouncy Castle ships as a signed jar, whose signature the JVM verifies when the first class is
 * loaded from it (0.2 to 0.3 s of CPU here, more than a tenth of a short command). The
 * computation itself runs at about the same speed as Bouncy Castle's: a small Salsa20/8 method
 * that C2 compiles within milliseconds (see {@code ScryptBenchmark}).
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
        int[] t = new int[16];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, 0, v, i * words, words);
            blockMix(x, y, t, r);
        }
        int last = (2 * r - 1) * 16;
        for (int i = 0; i < n; i++) {
            int j = x[last] & (n - 1);
            int base = j * words;
            for (int k = 0; k < words; k++) {
                x[k] ^= v[base + k];
            }
            blockMix(x, y, t, r);
        }
        Arrays.fill(t, 0);
    }

    /** scryptBlockMix: {@code b} becomes its mix; {@code y} and the 16 words {@code x} are scratch. */
    private static void blockMix(int[] b, int[] y, int[] x, int r) {
        System.arraycopy(b, (2 * r - 1) * 16, x, 0, 16);
        for (int i = 0; i < 2 * r; i++) {
            int o = i * 16;
            for (int k = 0; k < 16; k++) {
                x[k] ^= b[o + k];
            }
            salsa8(x);
            int d = ((i & 1) == 0 ? i / 2 : r + i / 2) * 16;
            System.arraycopy(x, 0, y, d, 16);
        }
        System.arraycopy(y, 0, b, 0, b.length);
    }

    /** Salsa20/8 core on {@code x} in place; a small method, so C2 compiles it within milliseconds. */
    private static void salsa8(int[] x) {
        int s0 = x[0], s1 = x[1], s2 = x[2], s3 = x[3], s4 = x[4], s5 = x[5], s6 = x[6], s7 = x[7];
        int s8 = x[8], s9 = x[9], s10 = x[10], s11 = x[11], s12 = x[12], s13 = x[13], s14 = x[14], s15 = x[15];
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
        x[0] += s0; x[1] += s1; x[2] += s2; x[3] += s3; x[4] += s4; x[5] += s5; x[6] += s6; x[7] += s7;
        x[8] += s8; x[9] += s9; x[10] += s10; x[11] += s11; x[12] += s12; x[13] += s13; x[14] += s14; x[15] += s15;
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
