package io.lifeboat.bench;

import io.lifeboat.common.crypto.Scrypt;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.SCrypt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * scrypt at the passphrase slot's default cost (N = 2^16, r = 8, p = 1) as a repository open runs
 * it: once, in a fresh JVM. Each fork makes one cold call, so the score is the cold cost that every
 * CLI command pays; Lifeboat's {@link Scrypt} against Bouncy Castle's, which it replaced.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(5)
public class ScryptBenchmark {
    private static final byte[] PASSWORD = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SALT = new byte[32];

    @Benchmark
    public byte[] lifeboatColdOpen() {
        return Scrypt.derive(PASSWORD, SALT, 1 << 16, 8, 1, 32);
    }

    @Benchmark
    public byte[] bouncyCastleColdOpen() {
        return SCrypt.generate(PASSWORD, SALT, 1 << 16, 8, 1, 32);
    }
}
