package io.lifeboat.bench;

import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * AES-256-GCM (JDK provider) of a 1 MiB blob with a 32-byte associated data (the blob id):
 * encryption in one {@code doFinal} and in 64 KiB {@code update} slices, and decryption in one
 * {@code doFinal} (the JDK buffers GCM ciphertext until the tag is checked, so slicing cannot
 * help there).
 *
 * <p>Why {@code warmup}: on JDK 25 the GCM bulk routine only reaches its AES-NI/CLMUL intrinsic
 * once C2 has compiled it, and a few hundred 1 MiB calls never make it hot enough; it then runs
 * at about 50 MB/s instead of several GB/s. {@code small-calls} first makes 20,000 4 KiB
 * encrypt/decrypt calls (a fraction of a second), which is enough. 64 KiB update slices make
 * 16 times more calls and get compiled sooner, but not within a few seconds. HMAC-SHA256 does
 * not show this effect.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncryptionBenchmark {

    private static final int SLICE = 64 * 1024;

    @Param({"none", "small-calls"})
    public String warmup;

    private byte[] plaintext;
    private byte[] ciphertext;
    private byte[] decryptNonce;
    private byte[] out;
    private byte[] aad;
    private byte[] nonce;
    private SecretKeySpec key;
    private Cipher cipher;
    private long counter;

    @Setup
    public void setUp() throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(5);
        plaintext = new byte[1024 * 1024];
        random.nextBytes(plaintext);
        out = new byte[plaintext.length + 16];
        aad = new byte[32];
        random.nextBytes(aad);
        byte[] keyBytes = new byte[32];
        random.nextBytes(keyBytes);
        key = new SecretKeySpec(keyBytes, "AES");
        nonce = new byte[12];
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        if (warmup.equals("small-calls")) {
            byte[] small = new byte[4096];
            for (int i = 0; i < 20_000; i++) {
                init();
                byte[] sealed = cipher.doFinal(small);
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                cipher.updateAAD(aad);
                cipher.doFinal(sealed);
            }
        }
        init();
        decryptNonce = nonce.clone();
        ciphertext = cipher.doFinal(plaintext);
    }

    /** GCM refuses a repeated (key, nonce) pair, so every operation takes a fresh nonce. */
    private void init() throws GeneralSecurityException {
        long n = ++counter;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
    }

    @Benchmark
    public int aes256GcmEncryptOneShot1MiB() throws GeneralSecurityException {
        init();
        return cipher.doFinal(plaintext, 0, plaintext.length, out, 0);
    }

    @Benchmark
    public int aes256GcmDecryptOneShot1MiB() throws GeneralSecurityException {
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, decryptNonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(ciphertext, 0, ciphertext.length, out, 0);
    }

    @Benchmark
    public int aes256GcmEncrypt64KiBSlices1MiB() throws GeneralSecurityException {
        init();
        int written = 0;
        int offset = 0;
        while (offset + SLICE < plaintext.length) {
            written += cipher.update(plaintext, offset, SLICE, out, written);
            offset += SLICE;
        }
        return written + cipher.doFinal(plaintext, offset, plaintext.length - offset, out, written);
    }
}
