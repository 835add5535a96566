package io.lifeboat.common.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link Chunker} must do, whatever its algorithm: give back exactly the input, keep
 * chunks within the size limits, cut the same way however the stream delivers its bytes, and
 * hand each chunk over in a fresh array. Each implementation's test extends this class.
 */
public abstract class ChunkerContractTest {

    protected static final int KIB = 1024;
    protected static final int MIB = 1024 * 1024;

    /** A chunker with the repository defaults' sizes. */
    protected abstract Chunker defaultChunker();

    /** A chunker with small sizes (about 2 KiB / 8 KiB / 64 KiB), for many-chunk cases. */
    protected abstract Chunker smallChunker();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 512 * 1024 - 1, 512 * 1024, 512 * 1024 + 1, 8 * 1024 * 1024,
        8 * 1024 * 1024 + 1, 3 * 8 * 1024 * 1024, 21 * 1024 * 1024 + 12345})
    void chunksConcatenateToInputAndRespectBounds(int size) throws IOException {
        byte[] data = random(size, size);
        List<byte[]> chunks = split(defaultChunker(), new ByteArrayInputStream(data));
        assertThat(concat(chunks)).isEqualTo(data);
        assertBounds(defaultChunker().params(), chunks);
        if (size == 0) {
            assertThat(chunks).isEmpty();
        }
    }

    @Test
    void longRunsOfOneByteValueRespectBounds() throws IOException {
        // On a constant input a rolling hash settles to a constant, so either every chunk is cut
        // at the same early point or all run to max: both must keep the bounds.
        Chunker chunker = defaultChunker();
        byte[] data = new byte[2 * chunker.params().maxSize() + 5];
        List<byte[]> chunks = split(chunker, new ByteArrayInputStream(data));
        assertThat(concat(chunks)).isEqualTo(data);
        assertBounds(chunker.params(), chunks);
    }

    @Test
    void boundariesDoNotDependOnHowTheStreamDeliversBytes() throws IOException {
        Chunker chunker = defaultChunker();
        byte[] data = random(20 * MIB + 777, 7);
        List<Integer> whole = lengths(split(chunker, new ByteArrayInputStream(data)));
        List<Integer> dribbled = lengths(split(chunker, new DribblingInputStream(data, 3, 1)));
        List<Integer> bursts = lengths(split(chunker, new DribblingInputStream(data, 300_000, 2)));
        assertThat(whole).hasSizeGreaterThan(5);
        assertThat(dribbled).isEqualTo(whole);
        assertThat(bursts).isEqualTo(whole);
        assertThat(lengths(split(chunker, new ByteArrayInputStream(data)))).isEqualTo(whole);
    }

    /**
     * A property over many random sizes, read slicings and contents with small parameters. A
     * seeded loop: cheap, and the assertion names the failing case.
     */
    @Test
    void smallParamsRoundTripAndRespectBoundsForAnySlicing() throws IOException {
        Chunker chunker = smallChunker();
        SplittableRandom cases = new SplittableRandom(99);
        for (int c = 0; c < 60; c++) {
            int size = cases.nextInt(400_001);
            int maxRead = 1 + cases.nextInt(70_000);
            long seed = cases.nextLong();
            byte[] data = random(size, seed);
            List<byte[]> chunks = split(chunker, new DribblingInputStream(data, maxRead, seed));
            String label = "size=" + size + " maxRead=" + maxRead + " seed=" + seed;
            assertThat(concat(chunks)).as(label).isEqualTo(data);
            assertBounds(chunker.params(), chunks);
            assertThat(lengths(chunks)).as(label).isEqualTo(lengths(split(chunker, new ByteArrayInputStream(data))));
        }
    }

    @Test
    void everyChunkIsAFreshArrayTheSinkOwns() throws IOException {
        Chunker chunker = smallChunker();
        byte[] data = random(2 * MIB, 8);
        List<byte[]> chunks = new ArrayList<>();
        chunker.split(new ByteArrayInputStream(data), chunk -> {
            chunks.add(chunk);
            // The sink may scribble on what it owns; the chunker must not rely on it.
            chunk[0] ^= (byte) 0xFF;
        });
        Set<byte[]> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(chunks);
        assertThat(distinct).hasSize(chunks.size());
        chunks.forEach(chunk -> chunk[0] ^= (byte) 0xFF);
        assertThat(concat(chunks)).isEqualTo(data);
        assertThat(lengths(chunks)).isEqualTo(lengths(split(chunker, new ByteArrayInputStream(data))));
    }

    @Test
    void readsAreBoundedByMaxChunkPlusReadBuffer() throws IOException {
        Chunker chunker = defaultChunker();
        byte[] data = random(40 * MIB, 9);
        int[] largestRead = new int[1];
        InputStream in = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                largestRead[0] = Math.max(largestRead[0], len);
                return super.read(b, off, len);
            }
        };
        chunker.split(in, chunk -> { });
        assertThat(largestRead[0]).isPositive().isLessThanOrEqualTo(chunker.params().maxSize() + 4 * MIB);
    }

    @Test
    void sinkExceptionPropagates() {
        Chunker chunker = smallChunker();
        assertThatThrownBy(() -> chunker.split(new ByteArrayInputStream(random(100 * KIB, 1)), c -> {
            throw new IOException("sink full");
        })).isInstanceOf(IOException.class).hasMessage("sink full");
    }

    @Test
    void streamExceptionPropagates() {
        Chunker chunker = smallChunker();
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        };
        assertThatThrownBy(() -> chunker.split(failing, c -> { }))
            .isInstanceOf(IOException.class).hasMessage("disk gone");
    }

    protected static void assertBounds(ChunkerParams params, List<byte[]> chunks) {
        for (int i = 0; i < chunks.size(); i++) {
            int length = chunks.get(i).length;
            assertThat(length).as("chunk %d", i).isPositive().isLessThanOrEqualTo(params.maxSize());
            if (i < chunks.size() - 1) {
                assertThat(length).as("chunk %d", i).isGreaterThanOrEqualTo(params.minSize());
            }
        }
    }

    protected static List<byte[]> split(Chunker chunker, InputStream in) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        chunker.split(in, chunks::add);
        return chunks;
    }

    protected static List<byte[]> split(ChunkerParams params, InputStream in) throws IOException {
        return split(Chunkers.create(params), in);
    }

    protected static List<Integer> lengths(List<byte[]> chunks) {
        return chunks.stream().map(c -> c.length).toList();
    }

    protected static byte[] concat(List<byte[]> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }

    protected static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deterministic bytes from SplitMix64, so the golden vector never depends on a JDK RNG. */
    protected static byte[] random(int size, long seed) {
        byte[] out = new byte[size];
        long state = seed;
        for (int i = 0; i < size; i += 8) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            for (int j = 0; j < 8 && i + j < size; j++) {
                out[i + j] = (byte) (z >>> (8 * j));
            }
        }
        return out;
    }

    /** Returns between 1 and {@code maxRead} bytes per read, varying deterministically. */
    protected static final class DribblingInputStream extends InputStream {
        private final byte[] data;
        private final int maxRead;
        private long state;
        private int pos;

        DribblingInputStream(byte[] data, int maxRead, long seed) {
            this.data = data;
            this.maxRead = maxRead;
            this.state = seed;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            state = state * 6364136223846793005L + 1442695040888963407L;
            int n = 1 + (int) Long.remainderUnsigned(state >>> 17, maxRead);
            n = Math.min(n, Math.min(len, data.length - pos));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
