package io.lifeboat.common.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.format.Json;
import io.lifeboat.common.keys.ScryptParams;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A committed repository of every format version must open and read back forever. Regenerate
 * only when introducing a NEW format version:
 * {@code ./mvnw -B -pl common -am verify -DskipITs -Dtest=GoldenRepositoryTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dlifeboat.golden.generate=<absolute path of common/src/test/resources/golden/vN>}.
 */
class GoldenRepositoryTest {
    static final char[] GOLDEN_PASSWORD = "lifeboat golden repository".toCharArray();

    /** The golden content: name to bytes, all deterministic. */
    static Map<String, byte[]> goldenFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("text.txt", RepositoryFixtures.textBytes(200_000, 42));
        files.put("random.bin", RepositoryFixtures.randomBytes(70_000, 42));
        files.put("empty", new byte[0]);
        files.put("small", "hello, lifeboat\n".getBytes());
        return files;
    }

    @Test
    @EnabledIfSystemProperty(named = "lifeboat.golden.generate", matches = ".+")
    void generate() throws IOException {
        Path dir = Paths.get(System.getProperty("lifeboat.golden.generate"));
        assertThat(dir.getFileName().toString()).isEqualTo("v" + FormatVersion.CURRENT);
        assertThat(Files.exists(dir)).as("refusing to overwrite " + dir).isFalse();
        InitOptions options = InitOptions.forTests().withPackSizeTarget(64 * 1024);
        try (Repository repo = Repositories.init(new LocalObjectStore(dir), GOLDEN_PASSWORD, options)) {
            Map<String, String> tree = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> f : goldenFiles().entrySet()) {
                repo.saveBlob(BlobType.DATA, f.getValue());
                tree.put(f.getKey(), repo.blobId(f.getValue()).hex());
            }
            byte[] treeBlob = Json.write(tree);
            repo.saveBlob(BlobType.TREE, treeBlob);
            repo.commitSnapshot(new SnapshotSpec("files", repo.blobId(treeBlob), "golden-host", "golden", List.of("/golden"),
                List.of("golden"), null, Instant.parse("2026-01-01T00:00:00Z"), Map.of("files", 4L), Map.of("format", "v1")));
        }
    }

    private static Path goldenDir(int version) {
        var url = GoldenRepositoryTest.class.getResource("/golden/v" + version + "/config");
        if (url == null) {
            return null;
        }
        try {
            return Paths.get(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyFormatVersionHasAGoldenRepository() {
        for (int v = 1; v <= FormatVersion.CURRENT; v++) {
            assertThat(goldenDir(v)).as("golden repository for format version " + v
                + ": a format change must bump FormatVersion.CURRENT and add golden/v" + v).isNotNull();
        }
    }

    @Test
    void theV1GoldenRepositoryOpensAndReadsBack(@TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve("v1");
        Path src = goldenDir(1);
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        try (PackRepository repo = Repositories.open(new LocalObjectStore(copy), GOLDEN_PASSWORD)) {
            assertThat(repo.config().formatVersion()).isEqualTo(1);
            assertThat(repo.config().chunker().algorithm()).isEqualTo("fastcdc-v2020");
            Snapshot s = repo.snapshot("latest");
            assertThat(s.sourceType()).isEqualTo("files");
            assertThat(s.paths()).containsExactly("/golden");
            assertThat(s.spec().hostname()).isEqualTo("golden-host");
            assertThat(s.labels()).containsEntry("format", "v1");
            assertThat(s.spec().startTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
            Map<String, String> tree = Json.mapper().readValue(repo.loadBlob(s.root()), new TypeReference<Map<String, String>>() { });
            Map<String, byte[]> expected = goldenFiles();
            assertThat(tree.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Map.Entry<String, byte[]> f : expected.entrySet()) {
                BlobId id = BlobId.parse(tree.get(f.getKey()));
                assertThat(repo.blobId(f.getValue())).isEqualTo(id);
                assertThat(Sha256.hex(repo.loadBlob(id))).as(f.getKey()).isEqualTo(Sha256.hex(f.getValue()));
            }
            assertThat(repo.journal()).singleElement().satisfies(j -> assertThat(j.entry().action()).isEqualTo("backup"));
            RepositoryChecker checker = new RepositoryChecker(repo);
            assertThat(checker.checkMetadata().problems()).isEmpty();
            assertThat(checker.readData(100).problems()).isEmpty();
        }
    }

    @Test
    void theGoldenPasswordIsCheapOnlyBecauseTheSlotSaysSo() {
        assertThat(ScryptParams.forTests().n()).isLessThan(ScryptParams.defaults().n());
    }
}
