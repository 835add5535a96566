package io.lifeboat.common.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectStoreContractTest;
import io.lifeboat.common.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalObjectStoreTest extends ObjectStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected ObjectStore newStore() {
        return new LocalObjectStore(dir.resolve("repo"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "/etc/passwd", "a/../../b", "a//b", "./a", "a/.", "a\\b", "", "a/", ".tmp-x"})
    void keysThatCouldEscapeTheRootAreRefused(String key) {
        assertThatThrownBy(() -> store.put(key, new byte[1])).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(StoreException.class);
        assertThat(Files.exists(dir.resolve("escape"))).isFalse();
    }

    @Test
    void objectsAreFilesUnderTheRootAndTemporaryFilesAreNotListed() throws Exception {
        store.put("data/ab/abc", new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(dir.resolve("repo/data/ab/abc"))).containsExactly(1, 2, 3);
        Files.write(dir.resolve("repo/data/ab/.tmp-abc-123"), new byte[] {9});
        List<String> keys = new ArrayList<>();
        store.list("data/", i -> keys.add(i.key()));
        assertThat(keys).containsExactly("data/ab/abc");
    }

    @Test
    void deleteTidiesEmptyDirectories() {
        store.put("data/cd/cde", new byte[1]);
        store.delete("data/cd/cde");
        assertThat(Files.exists(dir.resolve("repo/data/cd"))).isFalse();
        assertThat(Files.exists(dir.resolve("repo"))).isTrue();
    }

    @Test
    void objectsLargerThanOneIoSliceRoundTripWholeAndInRanges() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 5];
        new java.util.Random(42).nextBytes(data);
        store.put("data/ef/big", data);
        assertThat(Files.readAllBytes(dir.resolve("repo/data/ef/big"))).isEqualTo(data);
        assertThat(store.get("data/ef/big")).isEqualTo(data);
        int from = 1024 * 1024 - 3;
        int length = 2 * 1024 * 1024 + 7;
        assertThat(store.getRange("data/ef/big", from, length))
            .isEqualTo(java.util.Arrays.copyOfRange(data, from, from + length));
        assertThat(store.getRange("data/ef/big", 0, data.length)).isEqualTo(data);
        assertThatThrownBy(() -> store.getRange("data/ef/big", 1, data.length)).isInstanceOf(StoreException.class);
    }
}
