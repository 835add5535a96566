package io.lifeboat.common.keys.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.keys.KeyProvider;
import io.lifeboat.common.keys.KeyProviderContractTest;
import io.lifeboat.common.keys.KeyProviderException;
import io.lifeboat.common.keys.WrappedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeyProviderTest extends KeyProviderContractTest {
    @TempDir
    Path dir;

    private Path keyA() {
        Path p = dir.resolve("a.key");
        if (!Files.exists(p)) {
            LocalKeyProvider.generate(p);
        }
        return p;
    }

    private Path keyB() {
        Path p = dir.resolve("b.key");
        if (!Files.exists(p)) {
            LocalKeyProvider.generate(p);
        }
        return p;
    }

    @Override
    protected KeyProvider newProvider() {
        return LocalKeyProvider.open(keyA(), List.of(keyB()));
    }

    @Override
    protected KeyProvider otherProvider() {
        return LocalKeyProvider.open(keyB());
    }

    @Test
    void generateMakesA32ByteOwnerOnlyFileAndRefusesToOverwrite() throws Exception {
        Path p = dir.resolve("sub/new.key");
        String kekId = LocalKeyProvider.generate(p);
        assertThat(Files.size(p)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        assertThat(kekId).matches("local:[0-9a-f]{32}");
        byte[] before = Files.readAllBytes(p);
        assertThatThrownBy(() -> LocalKeyProvider.generate(p)).isInstanceOf(KeyProviderException.class)
                .hasMessageContaining("already exists");
        assertThat(Files.readAllBytes(p)).isEqualTo(before);
    }

    @Test
    void theKekIdIsAStableFingerprintThatRevealsNoKeyBytes() throws Exception {
        Path p = keyA();
        byte[] key = Files.readAllBytes(p);
        String id = LocalKeyProvider.open(p).kekId();
        assertThat(LocalKeyProvider.open(p).kekId()).isEqualTo(id);
        assertThat(id).doesNotContain(HexFormat.of().formatHex(key, 0, 4));
        assertThat(LocalKeyProvider.open(keyB()).kekId()).isNotEqualTo(id);
        assertThat(LocalKeyProvider.open(p).describe()).contains(id).doesNotContain(HexFormat.of().formatHex(key));
    }

    @Test
    void aKeyFileReadableByOthersIsRefused() throws Exception {
        Path p = keyA();
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> LocalKeyProvider.open(p)).isInstanceOf(KeyProviderException.class)
                .hasMessageContaining("chmod 600");
    }

    @Test
    void malformedKeyFilesGiveOneReadableLine() throws Exception {
        Path shortFile = dir.resolve("short.key");
        Files.write(shortFile, new byte[31]);
        Files.setPosixFilePermissions(shortFile, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> LocalKeyProvider.open(shortFile)).isInstanceOf(KeyProviderException.class)
                .hasMessageContaining("expected 32 bytes, found 31");
        Path longFile = dir.resolve("long.key");
        Files.write(longFile, new byte[33]);
        Files.setPosixFilePermissions(longFile, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> LocalKeyProvider.open(longFile)).isInstanceOf(KeyProviderException.class)
                .hasMessageContaining("found 33");
        assertThatThrownBy(() -> LocalKeyProvider.open(dir.resolve("missing.key"))).isInstanceOf(KeyProviderException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void malformedBlobsAllGiveTheSameGenericError() {
        KeyProvider p = LocalKeyProvider.open(keyA());
        WrappedKey w = p.generateDataKey(CONTEXT).wrapped();
        byte[] wrongVersion = w.blob();
        wrongVersion[0] = 2;
        byte[] oversized = java.util.Arrays.copyOf(w.blob(), w.blob().length + 1);
        for (byte[] bad : List.of(wrongVersion, oversized, new byte[61], new byte[1])) {
            assertThatThrownBy(() -> p.unwrap(new WrappedKey(LocalKeyProvider.PROVIDER, p.kekId(), bad), CONTEXT))
                    .isInstanceOf(KeyProviderException.class)
                    .hasMessage("the local key file refused the wrapped key: wrong encryption context or damaged blob");
        }
    }

    @Test
    void rewrapToAnUnknownKekNamesIt() {
        KeyProvider p = LocalKeyProvider.open(keyA());
        WrappedKey w = p.generateDataKey(Map.of()).wrapped();
        assertThatThrownBy(() -> p.rewrap(w, "local:0000", Map.of())).isInstanceOf(KeyProviderException.class)
                .hasMessageContaining("local:0000");
    }

    @Test
    void contextEncodingIsUnambiguous() {
        // ("ab","c") and ("a","bc") must not collide: every field is length-prefixed.
        assertThat(LocalKeyProvider.aad("k", Map.of("ab", "c"))).isNotEqualTo(LocalKeyProvider.aad("k", Map.of("a", "bc")));
        assertThat(LocalKeyProvider.aad("k", Map.of("a", "1", "b", "2")))
                .isEqualTo(LocalKeyProvider.aad("k", new java.util.TreeMap<>(Map.of("b", "2", "a", "1"))));
    }
}
