package io.lifeboat.bench;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.chunk.Chunkers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * FastCDC over 64 MiB of random bytes with the default parameters, including the copy of every
 * chunk into its own array. One operation is one 64 MiB split: MB/s = 64 / (s/op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ChunkerBenchmark {

    static final int SIZE = 64 * 1024 * 1024;

    private byte[] data;
    private Chunker chunker;

    @Setup
    public void setUp() {
        data = new byte[SIZE];
        new SplittableRandom(1).nextBytes(data);
        chunker = Chunkers.create(ChunkerParams.defaults());
    }

    /** Returns the number of chunks so that the work cannot be optimised away. */
    @Benchmark
    public long fastCdcSplit64MiB() throws IOException {
        long[] count = new long[1];
        chunker.split(new ByteArrayInputStream(data), chunk -> count[0] += chunk.length);
        return count[0];
    }
}
