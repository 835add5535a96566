package io.lifeboat.common.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.CorruptObjectException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TreeTest {
    private static final BlobId A = BlobId.parse("aa".repeat(32));
    private static final BlobId B = BlobId.parse("bb".repeat(32));

    private static Tree sample() {
        return Tree.of(List.of(
            TreeNode.builder("z-file", NodeType.FILE).mode(04755).uid(1000).gid(100).user("ann").group("users")
                .mtimeNs(1_700_000_000_123_456_789L).ctimeNs(1_700_000_001_000_000_001L).inode(42).device(7)
                .size(10).content(List.of(A, B)).build(),
            TreeNode.builder("dir", NodeType.DIR).mode(0755).mtimeNs(5).subtree(A).build(),
            TreeNode.builder("link", NodeType.SYMLINK).mode(0777).mtimeNs(6).linkTarget("/abs/target").build(),
            TreeNode.builder("empty", NodeType.FILE).mtimeNs(7).build(),
            TreeNode.builder("object", NodeType.FILE).mtimeNs(9).size(3).content(List.of(B))
                .etag("\"9a0364b9e99bb480dd25e1f0284c8555\"").build(),
            TreeNode.builder("\u00e9t\u00e9 \ud83d\ude00", NodeType.FILE).mtimeNs(8).build()));
    }

    @Test
    void roundTripsEveryField() {
        Tree t = sample();
        assertThat(Tree.decode(t.encode())).isEqualTo(t);
    }

    @Test
    void encodingIsCanonicalAndSorted() {
        Tree t = sample();
        assertThat(t.encode()).isEqualTo(Tree.of(t.nodes().reversed()).encode());
        assertThat(t.nodes()).extracting(TreeNode::name)
            .containsExactly("dir", "empty", "link", "object", "z-file", "\u00e9t\u00e9 \ud83d\ude00");
    }

    @Test
    void etagIsWrittenAfterContentOnlyWhenPresent() {
        String json = new String(sample().encode(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"content\":[\"" + B.hex() + "\"],\"etag\":\"\\\"9a0364b9e99bb480dd25e1f0284c8555\\\"\"}");
        assertThat(json.split("etag", -1)).hasSize(2);
        assertThat(sample().find("object")).map(TreeNode::etag).contains("\"9a0364b9e99bb480dd25e1f0284c8555\"");
        assertThat(sample().find("empty")).map(TreeNode::etag).isEmpty();
    }

    @Test
    void etagOnANodeOtherThanAFileIsRefusedWhenBuiltAndIgnoredWhenRead() {
        assertThatThrownBy(() -> TreeNode.builder("d", NodeType.DIR).subtree(A).etag("x").build())
            .isInstanceOf(IllegalArgumentException.class);
        String json = "{\"version\":1,\"nodes\":[{\"name\":\"d\",\"type\":\"dir\",\"mode\":493,\"mtime\":1,"
            + "\"subtree\":\"" + A.hex() + "\",\"etag\":\"x\"}]}";
        assertThat(Tree.decode(json.getBytes(StandardCharsets.UTF_8)).nodes().getFirst().etag()).isNull();
    }

    @Test
    void findsByName() {
        assertThat(sample().find("link")).map(TreeNode::linkTarget).contains("/abs/target");
        assertThat(sample().find("nope")).isEmpty();
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        String json = "{\"version\":1,\"extra\":{\"a\":[1]},\"nodes\":[{\"name\":\"f\",\"type\":\"file\",\"mode\":420,"
            + "\"mtime\":1,\"content\":[],\"xattrs\":{}}]}";
        assertThat(Tree.decode(json.getBytes(StandardCharsets.UTF_8)).nodes()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "[]",
        "{",
        "{\"version\":1}",
        "{\"nodes\":[]}",
        "{\"version\":2,\"nodes\":[]}",
        "{\"version\":\"1\",\"nodes\":[]}",
        "{\"version\":1,\"nodes\":{}}",
        "{\"version\":1,\"nodes\":[1]}",
        "{\"version\":1,\"nodes\":[]} trailing",
        "{\"version\":1,\"nodes\":[{\"type\":\"file\",\"mode\":420,\"mtime\":1,\"content\":[]}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"f\",\"type\":\"fifo\",\"mode\":420,\"mtime\":1}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"f\",\"type\":\"file\",\"mode\":420,\"mtime\":1}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"f\",\"type\":\"file\",\"mode\":99999,\"mtime\":1,\"content\":[]}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"f\",\"type\":\"file\",\"mode\":420,\"content\":[]}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"f\",\"type\":\"file\",\"mode\":420,\"mtime\":1,\"size\":-1,\"content\":[]}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"f\",\"type\":\"file\",\"mode\":420,\"mtime\":1,\"content\":[\"abc\"]}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"f\",\"type\":\"file\",\"mode\":420,\"mtime\":99999999999999999999999,\"content\":[]}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"f\",\"type\":\"file\",\"mode\":420,\"mtime\":1,\"content\":[],\"etag\":7}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"d\",\"type\":\"dir\",\"mode\":420,\"mtime\":1}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"l\",\"type\":\"symlink\",\"mode\":420,\"mtime\":1}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"..\",\"type\":\"file\",\"mode\":420,\"mtime\":1,\"content\":[]}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"a/b\",\"type\":\"file\",\"mode\":420,\"mtime\":1,\"content\":[]}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"b\",\"type\":\"file\",\"mode\":420,\"mtime\":1,\"content\":[]},"
            + "{\"name\":\"a\",\"type\":\"file\",\"mode\":420,\"mtime\":1,\"content\":[]}]}",
    })
    void rejectsMalformedTrees(String json) {
        assertThatThrownBy(() -> Tree.decode(json.getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(CorruptObjectException.class);
    }

    @Test
    void rejectsTruncationsAndFlippedBitsOfAValidTree() {
        byte[] good = sample().encode();
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThatThrownBy(() -> Tree.decode(cut)).isInstanceOf(CorruptObjectException.class);
        }
        for (int i = 0; i < good.length; i++) {
            byte[] flipped = good.clone();
            flipped[i] ^= 0x01;
            try {
                Tree.decode(flipped);
            } catch (RuntimeException e) {
                // A flip inside a string value may still parse; every failure must be the one kind.
                assertThat(e).isInstanceOf(CorruptObjectException.class);
            }
        }
    }

    @Test
    void unsafeNamesAreRecognised() {
        assertThat(List.of("", ".", "..", "a/b", "/", "x\0")).noneMatch(TreeNames::isSafe);
        assertThat(List.of("a", "...", ".hidden", "a\\b", "\u00e9")).allMatch(TreeNames::isSafe);
    }
}
