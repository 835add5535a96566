package io.lifeboat.common.pack;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.crypto.Algorithms;
import io.lifeboat.common.index.IndexFile;
import io.lifeboat.common.keys.Keyring;
import io.lifeboat.common.keys.MasterKeys;
import io.lifeboat.common.repository.BlobType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Property-style round trips over seeded random inputs (seeds are in the test names, so a
 * failure reproduces): any set of blobs packs, parses and decodes to itself, and any set of
 * packs survives an index file, for every registered compression.
 */
class PackAndIndexRoundTripTest {
    private final MasterKeys keys = MasterKeys.derive(new byte[32]);

    static Stream<Long> seeds() {
        return LongStream.range(0, 40).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void packsRoundTripForEveryCompression(long seed) {
        for (String compression : List.of(Algorithms.NONE, Algorithms.ZSTD)) {
            Random rnd = new Random(seed);
            BlobCodec codec = new BlobCodec(Keyring.of(List.of(Keyring.newEpoch(1 + rnd.nextInt(3)))), keys.blobIdMac(), compression, 3);
            PackWriter w = new PackWriter();
            List<byte[]> plain = new ArrayList<>();
            List<BlobType> types = new ArrayList<>();
            int n = 1 + rnd.nextInt(20);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[rnd.nextInt(rnd.nextBoolean() ? 200 : 40_000)];
                if (rnd.nextBoolean()) {
                    rnd.nextBytes(b);
                } else {
                    Arrays.fill(b, (byte) rnd.nextInt(4));
                }
                BlobType type = rnd.nextBoolean() ? BlobType.DATA : BlobType.TREE;
                plain.add(b);
                types.add(type);
                w.add(codec.encode(type, codec.blobId(b, 0, b.length), b, 0, b.length));
            }
            PackWriter.FinishedPack pack = w.finish(keys.metadataKey());
            List<PackEntry> entries = PackReader.entries(pack.bytes(), keys.metadataKey(), "pack");
            assertThat(entries).isEqualTo(pack.entries());
            for (int i = 0; i < n; i++) {
                PackEntry e = entries.get(i);
                assertThat(e.type()).isEqualTo(types.get(i));
                assertThat(codec.decode(e, pack.bytes(), e.offset(), e.length(), "pack")).isEqualTo(plain.get(i));
                if (compression.equals(Algorithms.NONE)) {
                    assertThat(e.compression()).isEqualTo(Algorithms.COMPRESSION_NONE);
                }
            }
            IndexFile.PackRecord record = new IndexFile.PackRecord(pack.id(), pack.bytes().length, entries);
            List<IndexFile.PackRecord> records = new ArrayList<>();
            for (int i = 0; i <= rnd.nextInt(3); i++) {
                records.add(record);
            }
            byte[] index = IndexFile.seal(records, keys.metadataKey());
            assertThat(IndexFile.open(index, keys.metadataKey(), "index")).isEqualTo(records);
        }
    }
}
