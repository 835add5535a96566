package io.lifeboat.common.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FastCdcChunkerTest extends ChunkerContractTest {

    private static final ChunkerParams DEFAULTS = ChunkerParams.defaults();
    private static final ChunkerParams SMALL = new ChunkerParams(FastCdcChunker.ALGORITHM, 2 * KIB, 8 * KIB, 64 * KIB, 0);

    @Override
    protected Chunker defaultChunker() {
        return Chunkers.create(DEFAULTS);
    }

    @Override
    protected Chunker smallChunker() {
        return Chunkers.create(SMALL);
    }

    /**
     * Chunk lengths of {@code random(32 MiB, seed 20260101)} with the default parameters. If this
     * changes, every existing repository stops deduplicating against new backups: never update it
     * without a new algorithm name.
     */
    private static final int[] GOLDEN_32MIB = {
        1596373, 612186, 1050928, 1235341, 572315, 1631786, 1244644, 1013595, 1433604, 1101515,
        1053954, 1619123, 1063610, 1058011, 1199323, 933368, 1253897, 1414133, 1052916, 731236,
        1266577, 1247721, 1149521, 792782, 1192967, 1275977, 1494133, 1287521, 975375};

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
}
