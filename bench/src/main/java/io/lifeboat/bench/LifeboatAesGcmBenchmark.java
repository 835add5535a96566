package io.lifeboat.bench;

import io.lifeboat.common.crypto.AesGcm;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
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
 * Lifeboat's own {@link AesGcm} on a 1 MiB blob, to show whether the JDK GCM warm-up effect
 * described in {@link EncryptionBenchmark} reaches the repository code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LifeboatAesGcmBenchmark {

    @Param({"none", "small-calls"})
    public String warmup;

    private SecretKey key;
    private byte[] aad;
    private byte[] plaintext;
    private byte[] sealed;
    private byte[] sealedNonce;
    private byte[] out;
    private final byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
    private long counter;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(6);
        byte[] raw = new byte[AesGcm.KEY_LENGTH];
        random.nextBytes(raw);
        key = AesGcm.key(raw);
        aad = new byte[32];
        random.nextBytes(aad);
        plaintext = new byte[1024 * 1024];
        random.nextBytes(plaintext);
        out = new byte[plaintext.length + AesGcm.TAG_LENGTH];
        if (warmup.equals("small-calls")) {
            byte[] small = new byte[4096];
            byte[] smallOut = new byte[small.length + AesGcm.TAG_LENGTH];
            for (int i = 0; i < 20_000; i++) {
                nextNonce();
                AesGcm.encrypt(key, nonce, 0, aad, null, 0, 0, small, 0, small.length, smallOut, 0);
                AesGcm.decrypt(key, nonce, 0, aad, null, 0, 0, smallOut, 0, smallOut.length);
            }
        }
        nextNonce();
        sealedNonce = nonce.clone();
        sealed = new byte[out.length];
        AesGcm.encrypt(key, sealedNonce, 0, aad, null, 0, 0, plaintext, 0, plaintext.length, sealed, 0);
    }

    /** Encrypting twice under one (key, nonce) is refused by the JDK, and would be unsafe. */
    private void nextNonce() {
        long n = ++counter;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
    }

    @Benchmark
    public int encrypt1MiB() {
        nextNonce();
        return AesGcm.encrypt(key, nonce, 0, aad, null, 0, 0, plaintext, 0, plaintext.length, out, 0);
    }

    @Benchmark
    public byte[] decrypt1MiB() {
        return AesGcm.decrypt(key, sealedNonce, 0, aad, null, 0, 0, sealed, 0, sealed.length);
    }
}
