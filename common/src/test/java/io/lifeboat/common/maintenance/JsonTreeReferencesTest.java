package io.lifeboat.common.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.CorruptObjectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTreeReferencesTest {
    private static final BlobId TREE = BlobId.parse("0".repeat(64));
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    private final List<BlobId> data = new ArrayList<>();
    private final List<BlobId> subtrees = new ArrayList<>();

    private void parse(String json) {
        new JsonTreeReferences().references(TREE, json.getBytes(StandardCharsets.UTF_8), data::add, subtrees::add);
    }

    @Test
    void contentIsDataSubtreeIsTreeAndEverythingElseIsIgnored() {
        parse("{\"version\":1,\"nodes\":["
            + "{\"name\":\"d\",\"type\":\"dir\",\"subtree\":\"" + A + "\",\"xattrs\":{\"k\":\"" + C + "\"}},"
            + "{\"name\":\"f\",\"type\":\"file\",\"content\":[\"" + B + "\",\"" + C + "\"]},"
            + "{\"name\":\"l\",\"type\":\"symlink\",\"target\":\"" + A + "\"},"
            + "{\"name\":\"e\",\"type\":\"file\",\"content\":[]}],\"future\":[1,2]}");
        assertThat(subtrees).containsExactly(BlobId.parse(A));
        assertThat(data).containsExactly(BlobId.parse(B), BlobId.parse(C));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "not json", "[]", "{\"version\":1}", "{\"nodes\":{}}", "{\"nodes\":[{\"content\":\"x\"}]}",
        "{\"nodes\":[{\"content\":[\"abc\"]}]}", "{\"nodes\":[{\"content\":[7]}]}", "{\"nodes\":[{\"subtree\":\"XYZ\"}]}",
        "{\"nodes\":[{\"subtree\":12}]}", "{\"nodes\":[{\"content\":[\"" + "A" + "\"]}]}", "{\"nodes\":[",
    })
    void malformedTreesAreCorrupt(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(CorruptObjectException.class)
            .hasMessageStartingWith("tree " + TREE.hex() + " is corrupt: ");
    }
}
