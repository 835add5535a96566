package io.lifeboat.common.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.engine.SnapshotInspector.Change;
import io.lifeboat.common.engine.testing.InMemoryRepository;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.BlobType;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotInspectorTest {
    final InMemoryRepository repo = new InMemoryRepository();
    final SnapshotInspector inspector = new SnapshotInspector(repo);

    BlobId data(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        BlobId id = repo.blobId(b);
        repo.saveBlob(BlobType.DATA, id, b, 0, b.length);
        return id;
    }

    TreeNode file(String name, String... chunks) {
        long size = 0;
        List<BlobId> ids = new java.util.ArrayList<>();
        for (String c : chunks) {
            ids.add(data(c));
            size += c.length();
        }
        return TreeNode.builder(name, NodeType.FILE).mtimeNs(1).size(size).content(ids).build();
    }

    TreeNode dir(String name, TreeNode... children) {
        byte[] json = Tree.of(List.of(children)).encode();
        BlobId id = repo.blobId(json);
        repo.saveBlob(BlobType.TREE, id, json, 0, json.length);
        return TreeNode.builder(name, NodeType.DIR).mode(0755).mtimeNs(1).subtree(id).build();
    }

    Snapshot snapshot(TreeNode... nodes) {
        TreeNode root = dir("root", nodes);
        return repo.commitSnapshot(new SnapshotSpec("files", root.subtree(), "h", "u", List.of("/x"), List.of(), null,
            Instant.now(), Map.of(), Map.of()));
    }

    @Test
    void diffReportsAddedRemovedModifiedAndMetadataChanges() {
        Snapshot a = snapshot(file("same", "s"), file("changed", "v1"), file("gone", "g"),
            dir("d", file("inner", "i")), file("perm", "p"), file("becomes-dir", "x"));
        TreeNode permChanged = TreeNode.builder("perm", NodeType.FILE).mode(0600).mtimeNs(1).size(1)
            .content(List.of(data("p"))).build();
        Snapshot b = snapshot(file("same", "s"), file("changed", "v2"), file("new", "n"),
            dir("d", file("inner", "i"), file("inner2", "j")), permChanged, dir("becomes-dir", file("y", "y")));
        List<Change> changes = inspector.diff(a, b);
        assertThat(changes).extracting(c -> c.symbol() + " " + c.path()).containsExactly(
            "- becomes-dir", "+ becomes-dir", "+ becomes-dir/y", "M changed", "+ d/inner2", "- gone", "+ new",
            "U perm");
        assertThat(inspector.diff(a, a)).isEmpty();
    }

    @Test
    void identicalSubtreesAreNotRead() {
        TreeNode big = dir("big", file("a", "1"), file("b", "2"));
        Snapshot a = snapshot(big, file("x", "1"));
        Snapshot b = snapshot(big, file("x", "2"));
        int before = repo.loads.get();
        assertThat(inspector.diff(a, b)).extracting(Change::path).containsExactly("x");
        assertThat(repo.loads.get() - before).isEqualTo(2);
    }

    @Test
    void statsCountFilesBytesAndDistinctContent() {
        Snapshot a = snapshot(file("f", "hello"), dir("d", file("g", "world", "!")));
        Snapshot b = snapshot(file("f", "hello"));
        SnapshotInspector.Stats s = inspector.stats(List.of(a, b));
        assertThat(s.snapshots()).isEqualTo(2);
        assertThat(s.files()).isEqualTo(3);
        assertThat(s.dirs()).isEqualTo(1);
        assertThat(s.logicalBytes()).isEqualTo(5 + 6 + 5);
        assertThat(s.uniqueFiles()).isEqualTo(2);
    }

    @Test
    void findListAndDump() throws Exception {
        Snapshot s = snapshot(dir("d", file("f", "ab", "cd")));
        assertThat(inspector.find(s, "/d/f")).map(TreeNode::size).contains(4L);
        assertThat(inspector.find(s, "d/nope")).isEmpty();
        assertThat(inspector.find(s, "d/f/deeper")).isEmpty();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(inspector.dump(s, "d/f", out)).isEqualTo(4);
        assertThat(out.toString()).isEqualTo("abcd");
        assertThatThrownBy(() -> inspector.dump(s, "d", out)).isInstanceOf(EngineException.class);
        List<String> paths = new java.util.ArrayList<>();
        inspector.list(s, "d", (p, n) -> paths.add(p));
        assertThat(paths).containsExactly("d", "d/f");
    }

    @Test
    void checkFindsMissingBlobsAndNamesTheSnapshotsADamagedPackHurts() {
        TreeNode shared = dir("shared", file("s", "shared content"));
        TreeNode onlyA = file("a", "only in a");
        Snapshot a = snapshot(shared, onlyA);
        Snapshot b = snapshot(shared, file("b", "only in b"));
        Snapshot c = snapshot(file("c", "only in c"));
        assertThat(inspector.check(repo.snapshots(), Map.of()).ok()).isTrue();

        BlobId sharedBlob = data("shared content");
        Map<String, Set<BlobId>> damaged = Map.of("pack1", Set.of(sharedBlob), "pack2", Set.of(onlyA.content().get(0)),
            "pack3", Set.of(data("unreferenced")));
        SnapshotInspector.CheckResult r = inspector.check(repo.snapshots(), damaged);
        assertThat(r.hurtSnapshots().get("pack1")).containsExactly(a, b);
        assertThat(r.hurtSnapshots().get("pack2")).containsExactly(a);
        assertThat(r.hurtSnapshots().get("pack3")).isEmpty();
        assertThat(r.ok()).isFalse();

        repo.remove(data("only in c"));
        SnapshotInspector.CheckResult missing = inspector.check(repo.snapshots(), Map.of());
        assertThat(missing.problems()).singleElement().asString()
            .contains(c.id().shortHex()).contains("c").contains("not in any index");
    }

    @Test
    void aWalkMadeBeforeThePacksAreCheckedGivesTheSameResultAsCheckingAtOnce() {
        TreeNode shared = dir("shared", file("s", "shared content"), dir("deeper", file("t", "deep content")));
        Snapshot a = snapshot(shared, file("a", "only in a"));
        Snapshot b = snapshot(shared, file("b", "only in b"));
        snapshot(file("c", "only in c"));
        repo.remove(data("only in b"));
        // The walk reads the trees first; the damaged packs are known only afterwards.
        SnapshotInspector.Walk walk = inspector.walk(repo.snapshots());
        Map<String, Set<BlobId>> damaged = Map.of("pack1", Set.of(data("deep content")), "pack2", Set.of(data("only in a")));

        SnapshotInspector.CheckResult later = inspector.check(walk, damaged);
        SnapshotInspector.CheckResult atOnce = inspector.check(repo.snapshots(), damaged);
        assertThat(later.hurtSnapshots().get("pack1")).containsExactly(a, b);
        assertThat(later.hurtSnapshots().get("pack2")).containsExactly(a);
        assertThat(later.problems()).singleElement().asString().contains(b.id().shortHex()).contains("not in any index");
        assertThat(later).isEqualTo(atOnce);
        assertThat(inspector.check(walk, Map.of()).hurtSnapshots()).isEmpty();
        assertThat(later.treesChecked()).isEqualTo(5);
    }
}
