package io.lifeboat.common.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.engine.testing.InMemoryRepository;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.BlobType;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link RestoreTarget} adapter passes, on snapshots built by hand: everything is
 * restored, includes restore only their paths, unsafe node names are refused with nothing written
 * outside the destination, and a missing blob fails the restore.
 */
public abstract class RestoreTargetContract {

    protected final InMemoryRepository repo = new InMemoryRepository();

    /** A fresh target writing somewhere empty. */
    protected abstract RestoreTarget newTarget() throws Exception;

    /** What the last target restored: snapshot path to file content. */
    protected abstract Map<String, byte[]> restoredFiles() throws Exception;

    /** Fails if anything was written outside the last target's destination. */
    protected abstract void assertNothingOutside() throws Exception;

    protected BlobId data(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        BlobId id = repo.blobId(b);
        repo.saveBlob(BlobType.DATA, id, b, 0, b.length);
        return id;
    }

    protected TreeNode file(String name, String... chunks) {
        List<BlobId> ids = new ArrayList<>();
        long size = 0;
        for (String c : chunks) {
            ids.add(data(c));
            size += c.getBytes(StandardCharsets.UTF_8).length;
        }
        return TreeNode.builder(name, NodeType.FILE).mode(0640).mtimeNs(1_700_000_000_123_456_789L).size(size)
            .content(ids).build();
    }

    protected TreeNode dir(String name, TreeNode... children) {
        byte[] json = Tree.of(List.of(children)).encode();
        BlobId id = repo.blobId(json);
        repo.saveBlob(BlobType.TREE, id, json, 0, json.length);
        return TreeNode.builder(name, NodeType.DIR).mode(0750).mtimeNs(1_600_000_000_000_000_000L).subtree(id).build();
    }

    protected Snapshot snapshot(TreeNode... rootNodes) {
        return commitRaw(Tree.of(List.of(rootNodes)).encode());
    }

    /** Commits a snapshot whose root tree is exactly these bytes (possibly malicious). */
    protected Snapshot commitRaw(byte[] rootJson) {
        BlobId id = repo.blobId(rootJson);
        repo.putRaw(BlobType.TREE, id, rootJson);
        return repo.commitSnapshot(new SnapshotSpec("files", id, "h", "u", List.of("/x"), List.of(), null,
            Instant.now(), Map.of(), Map.of()));
    }

    /** A raw tree JSON with one file node of the given name (not validated when built). */
    protected String rawFileNode(String nameJson) {
        return "{\"name\":" + nameJson + ",\"type\":\"file\",\"mode\":420,\"uid\":-1,\"gid\":-1,\"user\":\"\","
            + "\"group\":\"\",\"mtime\":0,\"ctime\":0,\"inode\":0,\"device\":0,\"size\":4,\"content\":[\""
            + data("evil").hex() + "\"]}";
    }

    @Test
    void restoresEverything() throws Exception {
        Snapshot s = snapshot(file("a.txt", "hello ", "world"), dir("d", file("b.bin", "bee"), dir("e")));
        newTarget().restore(repo, s, List.of(), ProgressListener.NONE);
        Map<String, byte[]> files = restoredFiles();
        assertThat(files).containsOnlyKeys("a.txt", "d/b.bin");
        assertThat(new String(files.get("a.txt"), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(new String(files.get("d/b.bin"), StandardCharsets.UTF_8)).isEqualTo("bee");
    }

    @Test
    void includeRestoresOnlyItsPaths() throws Exception {
        Snapshot s = snapshot(file("a.txt", "a"), dir("d", file("b.bin", "b"), file("c.bin", "c")));
        newTarget().restore(repo, s, List.of("/d/c.bin"), ProgressListener.NONE);
        assertThat(restoredFiles()).containsOnlyKeys("d/c.bin");
    }

    @Test
    void includeOfMissingPathFails() throws Exception {
        Snapshot s = snapshot(file("a.txt", "a"));
        assertThatThrownBy(() -> newTarget().restore(repo, s, List.of("nope"), ProgressListener.NONE))
            .isInstanceOf(EngineException.class).hasMessageContaining("nope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"..\"", "\".\"", "\"\"", "\"a/b\"", "\"/etc/evil\"", "\"../../evil\"", "\"x\\u0000y\""})
    void unsafeNamesAreRefused(String nameJson) throws Exception {
        Snapshot s = commitRaw(("{\"version\":1,\"nodes\":[" + rawFileNode(nameJson) + "]}")
            .getBytes(StandardCharsets.UTF_8));
        RestoreTarget t = newTarget();
        assertThatThrownBy(() -> t.restore(repo, s, List.of(), ProgressListener.NONE))
            .isInstanceOf(CorruptObjectException.class);
        assertNothingOutside();
        assertThat(restoredFiles()).isEmpty();
    }

    @Test
    void duplicateNamesAreRefused() throws Exception {
        Snapshot s = commitRaw(("{\"version\":1,\"nodes\":[" + rawFileNode("\"evil\"") + "," + rawFileNode("\"evil\"")
            + "]}").getBytes(StandardCharsets.UTF_8));
        RestoreTarget t = newTarget();
        assertThatThrownBy(() -> t.restore(repo, s, List.of(), ProgressListener.NONE))
            .isInstanceOf(CorruptObjectException.class);
        assertNothingOutside();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void missingBlobFails(int missing) throws Exception {
        String[] chunks = {"c0", "c1", "c2", "c3", "c4", "c5", "c6"};
        TreeNode f = missing == 0 ? file("gone.txt", "vanishing content") : file("gone.txt", chunks);
        TreeNode ok = file("fine.txt", "a", "b", "c");
        repo.remove(f.content().get(missing));
        Snapshot s = snapshot(ok, f);
        RestoreTarget t = newTarget();
        assertThatThrownBy(() -> t.restore(repo, s, List.of(), ProgressListener.NONE))
            .isInstanceOf(RepositoryException.class);
    }

    @Test
    void manyMultiBlobFilesRestoreInOrder() throws Exception {
        List<TreeNode> nodes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String[] chunks = new String[3 + i];
            for (int c = 0; c < chunks.length; c++) {
                chunks[c] = "file" + i + "-chunk" + c + ";";
            }
            nodes.add(file("f" + i, chunks));
        }
        newTarget().restore(repo, snapshot(nodes.toArray(TreeNode[]::new)), List.of(), ProgressListener.NONE);
        Map<String, byte[]> files = restoredFiles();
        assertThat(files).hasSize(20);
        for (int i = 0; i < 20; i++) {
            StringBuilder expected = new StringBuilder();
            for (int c = 0; c < 3 + i; c++) {
                expected.append("file").append(i).append("-chunk").append(c).append(';');
            }
            assertThat(new String(files.get("f" + i), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        }
    }
}
