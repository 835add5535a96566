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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FastCdcChunkerTest {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;
    private static final ChunkerParams DEFAULTS = ChunkerParams.defaults();
    private static final ChunkerParams SMALL = new ChunkerParams(FastCdcChunker.ALGORITHM, 2 * KIB, 8 * KIB, 64 * KIB, 0);

    /**
     * Chunk lengths of {@code random(32 MiB, seed 20260101)} with the default parameters. If this
     * changes, every existing repository stops deduplicating against new backups: never update it
     * without a new algorithm name.
     */
    private static final int[] GOLDEN_32MIB = {
        1596373, 612186, 1050928, 1235341, 572315, 1631786, 1244644, 1013595, 1433604, 1101515,
        1053954, 1619123, 1063610, 1058011, 1199323, 933368, 1253897, 1414133, 1052916, 731236,
        1266577, 1247721, 1149521, 792782, 1192967, 1275977, 1494133, 1287521, 975375};

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 512 * 1024 - 1, 512 * 1024, 512 * 1024 + 1, 8 * 1024 * 1024,
        8 * 1024 * 1024 + 1, 3 * 8 * 1024 * 1024, 21 * 1024 * 1024 + 12345})
    void chunksConcatenateToInputAndRespectBounds(int size) throws IOException {
        byte[] data = random(size, size);
        List<byte[]> chunks = split(DEFAULTS, new ByteArrayInputStream(data));
        assertThat(concat(chunks)).isEqualTo(data);
        assertBounds(DEFAULTS, chunks);
        if (size == 0) {
            assertThat(chunks).isEmpty();
        }
    }

    @Test
    void longRunsOfOneByteValueRespectBounds() throws IOException {
        // On a constant input the gear hash settles to a constant after 64 bytes, so either every
        // chunk is cut right after min + 64 or all run to max: both must keep the bounds.
        byte[] data = new byte[2 * DEFAULTS.maxSize() + 5];
        List<byte[]> chunks = split(DEFAULTS, new ByteArrayInputStream(data));
        assertThat(concat(chunks)).isEqualTo(data);
        assertBounds(DEFAULTS, chunks);
    }

    @Test
    void boundariesDoNotDependOnHowTheStreamDeliversBytes() throws IOException {
        byte[] data = random(20 * MIB + 777, 7);
        List<Integer> whole = lengths(split(DEFAULTS, new ByteArrayInputStream(data)));
        List<Integer> dribbled = lengths(split(DEFAULTS, new DribblingInputStream(data, 3, 1)));
        List<Integer> bursts = lengths(split(DEFAULTS, new DribblingInputStream(data, 300_000, 2)));
        assertThat(whole).hasSizeGreaterThan(5);
        assertThat(dribbled).isEqualTo(whole);
        assertThat(bursts).isEqualTo(whole);
        assertThat(lengths(split(DEFAULTS, new ByteArrayInputStream(data)))).isEqualTo(whole);
    }

    @Test
    void goldenVectorIsStable() throws IOException {
        byte[] data = random(32 * MIB, 20260101);
        List<Integer> actual = lengths(split(DEFAULTS, new ByteArrayInputStream(data)));
        assertThat(actual.stream().mapToInt(Integer::intValue).toArray())
            .as("chunk lengths of the golden input: %s", actual)
            .containsExactly(GOLDEN_32MIB);
    }

    @Test
    void gearTableIsTheDocumentedSplitMix64Sequence() {
        long[] table = FastCdcChunker.gearTable(0);
        assertThat(table).hasSize(256);
        // First outputs of SplitMix64 from state 0x4C696665626F6174, as written in docs/chunking.md.
        assertThat(HexFormat.of().toHexDigits(table[0])).isEqualTo(GEAR0_HEX);
        assertThat(HexFormat.of().toHexDigits(table[255])).isEqualTo(GEAR255_HEX);
        assertThat(FastCdcChunker.gearTable(FastCdcChunker.BUILT_IN_SEED)).isEqualTo(table);
        assertThat(FastCdcChunker.gearTable(1)).isNotEqualTo(table);
    }

    private static final String GEAR0_HEX = "eb866298e4cc950e";
    private static final String GEAR255_HEX = "f0363d6a86f2280d";

    @Test
    void differentSeedsCutDifferently() throws IOException {
        byte[] data = random(16 * MIB, 3);
        ChunkerParams seeded = new ChunkerParams(FastCdcChunker.ALGORITHM, DEFAULTS.minSize(),
            DEFAULTS.avgSize(), DEFAULTS.maxSize(), 0x1234_5678_9ABC_DEF0L);
        assertThat(lengths(split(seeded, new ByteArrayInputStream(data))))
            .isNotEqualTo(lengths(split(DEFAULTS, new ByteArrayInputStream(data))));
    }

    @Test
    void insertingOneByteAtTheStartChangesOnlyAFewChunks() throws IOException {
        byte[] original = random(64 * MIB, 11);
        byte[] modified = new byte[original.length + 1];
        modified[0] = 0x42;
        System.arraycopy(original, 0, modified, 1, original.length);

        Set<String> originalHashes = new HashSet<>();
        for (byte[] chunk : split(DEFAULTS, new ByteArrayInputStream(original))) {
            originalHashes.add(sha256(chunk));
        }
        long newBytes = 0;
        List<byte[]> modifiedChunks = split(DEFAULTS, new ByteArrayInputStream(modified));
        for (byte[] chunk : modifiedChunks) {
            if (!originalHashes.contains(sha256(chunk))) {
                newBytes += chunk.length;
            }
        }
        assertThat(modifiedChunks).hasSizeGreaterThan(30);
        assertThat(newBytes).isPositive().isLessThan(3L * MIB);
    }

    @Test
    void averageChunkSizeOnRandomDataIsNearTheTarget() throws IOException {
        byte[] data = random(96 * MIB, 5);
        List<byte[]> chunks = split(DEFAULTS, new ByteArrayInputStream(data));
        double average = (double) data.length / chunks.size();
        // Skipping the first minSize bytes puts the mean above avgSize: about min + avg/2.
        assertThat(average).isBetween(0.8 * DEFAULTS.avgSize(), 1.6 * DEFAULTS.avgSize());

        byte[] small = random(8 * MIB, 6);
        List<byte[]> smallChunks = split(SMALL, new ByteArrayInputStream(small));
        assertBounds(SMALL, smallChunks);
        assertThat(concat(smallChunks)).isEqualTo(small);
        double smallAverage = (double) small.length / smallChunks.size();
        assertThat(smallAverage).isBetween(0.8 * SMALL.avgSize(), 1.6 * SMALL.avgSize());
    }

    @Test
    void unknownAlgorithmIsAClearError() {
        ChunkerParams unknown = new ChunkerParams("rabin-v1", 512 * KIB, MIB, 8 * MIB, 0);
        assertThatThrownBy(() -> Chunkers.create(unknown))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown chunker algorithm 'rabin-v1'")
            .hasMessageContaining(FastCdcChunker.ALGORITHM);
        assertThatThrownBy(() -> new FastCdcChunker(unknown)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registryCreatesFastCdcForItsName() {
        Chunker chunker = Chunkers.create(DEFAULTS);
        assertThat(chunker).isInstanceOf(FastCdcChunker.class);
        assertThat(chunker.params()).isEqualTo(DEFAULTS);
        assertThat(Chunkers.algorithms()).containsExactly(FastCdcChunker.ALGORITHM);
    }

    @Test
    void tooSmallAverageIsRejected() {
        ChunkerParams tiny = new ChunkerParams(FastCdcChunker.ALGORITHM, 16, 64, 256, 0);
        assertThatThrownBy(() -> Chunkers.create(tiny))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at least 256");
    }

    @Test
    void sinkExceptionPropagates() {
        Chunker chunker = Chunkers.create(SMALL);
        assertThatThrownBy(() -> chunker.split(new ByteArrayInputStream(random(100 * KIB, 1)), c -> {
            throw new IOException("sink full");
        })).isInstanceOf(IOException.class).hasMessage("sink full");
    }

    /**
     * A property over many random sizes, read slicings and contents with small parameters. A
     * seeded loop instead of jqwik: cheap, and the failing case is printed by the assertion.
     */
    @Test
    void smallParamsRoundTripAndRespectBoundsForAnySlicing() throws IOException {
        java.util.SplittableRandom cases = new SplittableRandom(99);
        for (int c = 0; c < 60; c++) {
            int size = cases.nextInt(400_001);
            int maxRead = 1 + cases.nextInt(70_000);
            long seed = cases.nextLong();
            byte[] data = random(size, seed);
            List<byte[]> chunks = split(SMALL, new DribblingInputStream(data, maxRead, seed));
            String label = "size=" + size + " maxRead=" + maxRead + " seed=" + seed;
            assertThat(concat(chunks)).as(label).isEqualTo(data);
            assertBounds(SMALL, chunks);
            assertThat(lengths(chunks)).as(label).isEqualTo(lengths(split(SMALL, new ByteArrayInputStream(data))));
        }
    }

    private static void assertBounds(ChunkerParams params, List<byte[]> chunks) {
        for (int i = 0; i < chunks.size(); i++) {
            int length = chunks.get(i).length;
            assertThat(length).as("chunk %d", i).isPositive().isLessThanOrEqualTo(params.maxSize());
            if (i < chunks.size() - 1) {
                assertThat(length).as("chunk %d", i).isGreaterThanOrEqualTo(params.minSize());
            }
        }
    }

    private static List<byte[]> split(ChunkerParams params, InputStream in) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        Chunkers.create(params).split(in, chunks::add);
        return chunks;
    }

    private static List<Integer> lengths(List<byte[]> chunks) {
        return chunks.stream().map(c -> c.length).toList();
    }

    private static byte[] concat(List<byte[]> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deterministic bytes from SplitMix64, so the golden vector never depends on a JDK RNG. */
    static byte[] random(int size, long seed) {
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
    private static final class DribblingInputStream extends InputStream {
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
