package io.lifeboat.common.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with 12-byte random nonces and 16-byte tags, through the JDK provider (which uses
 * AES-NI and CLMUL intrinsics). One {@link Cipher} and one DRBG per thread.
 */
public final class AesGcm {
    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM", e);
        }
    });
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(AesGcm::newRandom);

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();

    private AesGcm() {
    }

    /**
     * Starts, once per JVM, a background thread that makes small GCM calls. The JDK runs AES-GCM
     * at tens of MB/s until C2 compiles its bulk routine onto the AES-NI/CLMUL intrinsics, and a
     * backup's few hundred 1 MiB calls never trigger that; compiled code is shared by all threads,
     * so warming on one thread speeds up every worker (docs/benchmarks.md).
     *
     * <p>With default JIT thresholds that takes about 5,000 calls, so 20,000 are made. A launcher
     * that lowers the threshold of the GCM routine ({@code -XX:CompileCommand=CompileThresholdScaling})
     * needs only a few dozen and says how many with the system property
     * {@value #WARM_UP_CALLS_PROPERTY}; 0 turns the warm-up off.
     */
    public static void warmUpInBackground() {
        int calls = Integer.getInteger(WARM_UP_CALLS_PROPERTY, 20_000);
        if (calls <= 0 || !WARMED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> warmUp(calls), "lifeboat-aes-gcm-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** System property: how many warm-up calls {@link #warmUpInBackground} makes. */
    public static final String WARM_UP_CALLS_PROPERTY = "lifeboat.aes-gcm.warmup-calls";

    private static void warmUp(int calls) {
        SecretKey key = key(new byte[KEY_LENGTH]);
        byte[] nonce = new byte[NONCE_LENGTH];
        // 4 KiB: with 1 KiB calls C2 compiles the GCM path for small inputs only, and the first
        // 1 MiB call deoptimises it again (measured: still 10 to 30 ms per MiB afterwards).
        byte[] in = new byte[4096];
        byte[] out = new byte[in.length + TAG_LENGTH];
        for (int i = 0; i < calls; i++) {
            nonce[0] = (byte) i;
            nonce[1] = (byte) (i >>> 8);
            nonce[2] = (byte) (i >>> 16);
            encrypt(key, nonce, 0, null, null, 0, 0, in, 0, in.length, out, 0);
            decrypt(key, nonce, 0, null, null, 0, 0, out, 0, out.length);
        }
    }

    public static SecretKey key(byte[] raw) {
        if (raw.length != KEY_LENGTH) {
            throw new IllegalArgumentException("AES-256 key must be 32 bytes");
        }
        return new SecretKeySpec(raw, "AES");
    }

    /** Fills {@code dst[off, off+len)} with random bytes from this thread's DRBG. */
    public static void randomBytes(byte[] dst, int off, int len) {
        if (off == 0 && len == dst.length) {
            RANDOM.get().nextBytes(dst);
        } else {
            byte[] tmp = new byte[len];
            RANDOM.get().nextBytes(tmp);
            System.arraycopy(tmp, 0, dst, off, len);
        }
    }

    public static byte[] randomBytes(int len) {
        byte[] b = new byte[len];
        RANDOM.get().nextBytes(b);
        return b;
    }

    /**
     * Encrypts {@code in[inOff, inOff+inLen)} into {@code out} at {@code outOff}; writes
     * {@code inLen + 16} bytes. The nonce is read from {@code nonce[nonceOff, nonceOff+12)}.
     */
    public static int encrypt(SecretKey key, byte[] nonce, int nonceOff, byte[] aad1, byte[] aad2, int aad2Off, int aad2Len,
            byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        Cipher c = CIPHER.get();
        try {
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce, nonceOff, NONCE_LENGTH));
            if (aad1 != null) {
                c.updateAAD(aad1);
            }
            if (aad2 != null) {
                c.updateAAD(aad2, aad2Off, aad2Len);
            }
            return c.doFinal(in, inOff, inLen, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Decrypts and authenticates; returns the plaintext, or null if authentication fails (the
     * caller decides which error that is).
     */
    public static byte[] decrypt(SecretKey key, byte[] nonce, int nonceOff, byte[] aad1, byte[] aad2, int aad2Off, int aad2Len,
            byte[] in, int inOff, int inLen) {
        if (inLen < TAG_LENGTH) {
            return null;
        }
        Cipher c = CIPHER.get();
        try {
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce, nonceOff, NONCE_LENGTH));
            if (aad1 != null) {
                c.updateAAD(aad1);
            }
            if (aad2 != null) {
                c.updateAAD(aad2, aad2Off, aad2Len);
            }
            return c.doFinal(in, inOff, inLen);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /**
     * Decrypts and authenticates into {@code out} at {@code outOff} (which must hold
     * {@code inLen - 16} bytes and must not overlap the input); returns the plaintext length, or
     * -1 if authentication fails, in which case {@code out} holds nothing the caller may use.
     */
    public static int decryptInto(SecretKey key, byte[] nonce, int nonceOff, byte[] aad1,
            byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        if (inLen < TAG_LENGTH) {
            return -1;
        }
        Cipher c = CIPHER.get();
        try {
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce, nonceOff, NONCE_LENGTH));
            if (aad1 != null) {
                c.updateAAD(aad1);
            }
            return c.doFinal(in, inOff, inLen, out, outOff);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            return new SecureRandom();
        }
    }
}
