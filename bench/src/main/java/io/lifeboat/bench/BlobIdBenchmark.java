package io.lifeboat.bench;

import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The blob id, HMAC-SHA256 under a 32-byte key, of one 1 MiB chunk (JDK provider). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BlobIdBenchmark {

    private byte[] chunk;
    private Mac mac;

    @Setup
    public void setUp() throws GeneralSecurityException {
        chunk = new byte[1024 * 1024];
        SplittableRandom random = new SplittableRandom(2);
        random.nextBytes(chunk);
        byte[] key = new byte[32];
        random.nextBytes(key);
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
    }

    @Benchmark
    public byte[] hmacSha256Of1MiB() {
        return mac.doFinal(chunk);
    }
}
