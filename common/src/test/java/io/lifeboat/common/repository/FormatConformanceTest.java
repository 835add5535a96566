package io.lifeboat.common.repository;

import static io.lifeboat.common.repository.RepositoryFixtures.PASSWORD;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.format.ByteReader;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the writer puts in the store matches docs/repository-format.md byte for byte where it can be checked without keys. */
class FormatConformanceTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();

    @BeforeEach
    void writeARepository() {
        try (Repository repo = Repositories.init(store, PASSWORD, InitOptions.forTests().withPackSizeTarget(8192))) {
            for (int i = 0; i < 5; i++) {
                repo.saveBlob(BlobType.DATA, RepositoryFixtures.randomBytes(5000, i));
            }
            byte[] tree = RepositoryFixtures.textBytes(3000, 1);
            repo.saveBlob(BlobType.TREE, tree);
            repo.commitSnapshot(RepositoryFixtures.spec(repo.blobId(tree), "/p"));
        }
    }

    private List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        store.list(prefix, i -> keys.add(i.key()));
        return keys;
    }

    private static void assertSealedHeader(byte[] b, String magic) {
        assertThat(new String(b, 0, 4, US_ASCII)).isEqualTo(magic);
        assertThat(b[4]).as("format version").isEqualTo((byte) 1);
        assertThat(b[5]).as("cipher id").isEqualTo((byte) 1);
        assertThat(b.length).isGreaterThanOrEqualTo(34);
    }

    private static String tail(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    @Test
    void onlyDocumentedPrefixesAreWritten() {
        assertThat(keys("")).allSatisfy(k -> assertThat(k).matches(
            "config|keys/[0-9a-f]{32}|keyring/[0-9a-f]{64}|data/[0-9a-f]{2}/[0-9a-f]{64}|index/[0-9a-f]{64}"
                + "|snapshots/[0-9a-f]{64}|journal/\\d{8}T\\d{6}Z-[0-9a-f]{16}"));
    }

    @Test
    void sealedObjectsHaveTheirMagicVersionAndCipherAndContentNames() {
        assertSealedHeader(store.get("config"), "LBCF");
        for (String[] kind : new String[][] {{"keyring/", "LBKR"}, {"index/", "LBIX"}, {"snapshots/", "LBSN"}}) {
            assertThat(keys(kind[0])).isNotEmpty().allSatisfy(k -> {
                byte[] b = store.get(k);
                assertSealedHeader(b, kind[1]);
                assertThat(tail(k)).isEqualTo(Sha256.hex(b));
            });
        }
        assertThat(keys("journal/")).singleElement().satisfies(k -> assertSealedHeader(store.get(k), "LBJN"));
    }

    @Test
    void keySlotsFollowTheDocumentedLayout() {
        assertThat(keys("keys/")).singleElement().satisfies(k -> {
            byte[] b = store.get(k);
            assertThat(new String(b, 0, 4, US_ASCII)).isEqualTo("LBKS");
            assertThat(b[4]).isEqualTo((byte) 1);
            long h = ByteReader.u32At(b, 5);
            assertThat(b.length).isEqualTo(69 + h);
            assertThat(new String(b, 9, (int) h, US_ASCII)).startsWith("{\"type\":\"passphrase\",\"cipher\":\"aes-256-gcm\",\"kdf\":\"scrypt\",\"n\":16,");
        });
    }

    @Test
    void packsFollowTheDocumentedLayout() {
        assertThat(keys("data/")).hasSizeGreaterThan(1).allSatisfy(k -> {
            byte[] b = store.get(k);
            String id = tail(k);
            assertThat(Sha256.hex(b)).isEqualTo(id);
            assertThat(k).startsWith("data/" + id.substring(0, 2) + "/");
            assertThat(new String(b, b.length - 4, 4, US_ASCII)).isEqualTo("LBP1");
            long t = ByteReader.u32At(b, b.length - 8);
            int trailerAt = (int) (b.length - 8 - t);
            assertSealedHeader(Arrays.copyOfRange(b, trailerAt, b.length - 8), "LBPT");
            // plaintext of trailer: 4 + 50 n; sealed adds 34
            assertThat((t - 34 - 4) % 50).isZero();
            assertThat(b[0]).as("first blob's compression id").isIn((byte) 0, (byte) 1);
            assertThat(ByteReader.u32At(b, 1)).as("first blob's epoch").isEqualTo(1);
        });
    }
}
