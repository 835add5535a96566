package io.lifeboat.bench;

import com.github.luben.zstd.Zstd;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * zstd level 3 (zstd-jni) of a 1 MiB chunk: log-like text, which compresses, and random bytes,
 * which do not (the pipeline then stores the chunk uncompressed, but pays for the attempt).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class CompressionBenchmark {

    @Param({"text", "random"})
    public String content;

    private byte[] chunk;

    @Setup
    public void setUp() {
        int size = 1024 * 1024;
        if (content.equals("text")) {
            StringBuilder text = new StringBuilder(size + 256);
            SplittableRandom random = new SplittableRandom(3);
            while (text.length() < size) {
                DatasetGenerator.appendLogLine(text, random);
            }
            chunk = text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
        } else {
            chunk = new byte[size];
            new SplittableRandom(4).nextBytes(chunk);
        }
    }

    @Benchmark
    public byte[] zstdLevel3Of1MiB() {
        return Zstd.compress(chunk, 3);
    }
}
