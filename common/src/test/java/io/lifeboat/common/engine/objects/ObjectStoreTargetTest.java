package io.lifeboat.common.engine.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.RestoreSummary;
import io.lifeboat.common.engine.RestoreTarget;
import io.lifeboat.common.engine.RestoreTargetContract;
import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.NodeType;
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.engine.testing.FixedSizeChunker;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectStoreTargetTest extends RestoreTargetContract {
    private static final String PREFIX = "restored/here/";
    private final InMemoryObjectStore store = new InMemoryObjectStore();

    @Override
    protected RestoreTarget newTarget() {
        return new ObjectStoreTarget(store, "restored/here", false, 3);
    }

    @Override
    protected Map<String, byte[]> restoredFiles() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        store.list(PREFIX, i -> out.put(i.key().substring(PREFIX.length()), store.get(i.key())));
        return out;
    }

    @Override
    protected void assertNothingOutside() {
        List<String> keys = new ArrayList<>();
        store.list("", i -> keys.add(i.key()));
        assertThat(keys).allMatch(k -> k.startsWith(PREFIX));
    }

    @Test
    void aNonEmptyPrefixIsRefusedUnlessOverwriting() {
        Snapshot s = snapshot(file("a.txt", "new"));
        store.put(PREFIX + "a.txt", "old".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> newTarget().restore(repo, s, List.of(), ProgressListener.NONE))
            .isInstanceOf(EngineException.class).hasMessageContaining("already holds objects");
        assertThat(restoredFiles().get("a.txt")).asString(StandardCharsets.UTF_8).isEqualTo("old");
        new ObjectStoreTarget(store, "restored/here", true, 1).restore(repo, s, List.of(), ProgressListener.NONE);
        assertThat(restoredFiles().get("a.txt")).asString(StandardCharsets.UTF_8).isEqualTo("new");
    }

    @Test
    void symlinksAreSkippedAndObjectsOverTheLimitAreErrors() {
        TreeNode link = TreeNode.builder("link", NodeType.SYMLINK).mode(0777).linkTarget("/x").build();
        Snapshot s = snapshot(file("small", "12345"), file("big", "0123456789"), link);
        RestoreSummary r = new ObjectStoreTarget(store, "restored/here", false, 2, 8)
            .restore(repo, s, List.of(), ProgressListener.NONE);
        assertThat(restoredFiles()).containsOnlyKeys("small");
        assertThat(r.errors()).isEqualTo(1);
        assertThat(r.warnings()).singleElement().asString().contains("symlink");
        assertThat(r.files()).isEqualTo(1);
        assertThat(r.bytes()).isEqualTo(5);
    }

    @Test
    void anObjectSnapshotRestoresIntoAnotherPrefixOfAStore() {
        InMemoryObjectStore source = new InMemoryObjectStore();
        source.put("up/x/1", "one".getBytes(StandardCharsets.UTF_8));
        source.put("up/2", "two".getBytes(StandardCharsets.UTF_8));
        BackupResult b = new ObjectStoreSource(source, "up", "s3:src/up", new FixedSizeChunker(2))
            .backup(repo, BackupOptions.defaults().withThreads(2), ProgressListener.NONE);
        new ObjectStoreTarget(store, "restored/here", false, 2).restore(repo, b.snapshot(), List.of("up/x"),
            ProgressListener.NONE);
        assertThat(restoredFiles()).containsOnlyKeys("up/x/1");
        assertThat(restoredFiles().get("up/x/1")).asString(StandardCharsets.UTF_8).isEqualTo("one");
    }
}
