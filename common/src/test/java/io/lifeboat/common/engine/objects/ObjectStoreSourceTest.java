package io.lifeboat.common.engine.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.BackupSource;
import io.lifeboat.common.engine.BackupSourceContract;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.engine.TreeWalker;
import io.lifeboat.common.engine.files.FileTreeTarget;
import io.lifeboat.common.engine.testing.FixedSizeChunker;
import io.lifeboat.common.engine.testing.InMemoryRepository;
import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.TransientStoreException;
import io.lifeboat.common.store.decorator.FaultInjectingObjectStore;
import io.lifeboat.common.store.decorator.ForwardingObjectStore;
import io.lifeboat.common.store.decorator.StoreOperation;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoreSourceTest extends BackupSourceContract {
    private final EtaggedStore store = new EtaggedStore();

    ObjectStoreSourceTest() {
        store.put("uploads/a.txt", "hello".getBytes(StandardCharsets.UTF_8));
        store.put("uploads/sub/b.bin", new byte[10_000]);
        store.put("uploads/sub/deeper/c", "c".repeat(5000).getBytes(StandardCharsets.UTF_8));
        store.put("elsewhere/not-backed-up", "x".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected BackupSource newSource() {
        return source("uploads");
    }

    private ObjectStoreSource source(String prefix) {
        return new ObjectStoreSource(store, prefix, "s3:bucket/" + prefix, new FixedSizeChunker(4096));
    }

    @Override
    protected long expectedBytes() {
        return 5 + 10_000 + 5000;
    }

    /** Records what a run read and reused, and its errors. */
    static final class Recorder implements ProgressListener {
        final List<String> read = new CopyOnWriteArrayList<>();
        final List<String> reused = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final List<String> warnings = new CopyOnWriteArrayList<>();

        @Override
        public void itemDone(String path, long bytes, boolean wasRead) {
            (wasRead ? read : reused).add(path);
        }

        @Override
        public void error(String message) {
            errors.add(message);
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    }

    private static Map<String, TreeNode> files(InMemoryRepository repo, BackupResult r) {
        Map<String, TreeNode> out = new LinkedHashMap<>();
        new TreeWalker(repo).walk(r.snapshot().root(), (p, n) -> {
            if (n.isFile()) {
                out.put(p, n);
            }
            return true;
        });
        return out;
    }

    @Test
    void keysBecomePathsUnderTheRootNodeWithEtagSizeAndTime() {
        InMemoryRepository repo = new InMemoryRepository();
        BackupResult r = source("uploads").backup(repo, options(), ProgressListener.NONE);
        Map<String, TreeNode> files = files(repo, r);
        assertThat(files).containsOnlyKeys("uploads/a.txt", "uploads/sub/b.bin", "uploads/sub/deeper/c");
        TreeNode a = files.get("uploads/a.txt");
        ObjectInfo info = store.stat("uploads/a.txt").orElseThrow();
        assertThat(a.etag()).isEqualTo(info.etag()).isNotNull();
        assertThat(a.size()).isEqualTo(5);
        assertThat(a.mtimeNs()).isEqualTo(ObjectStoreSource.nanos(info.lastModified()));
        assertThat(a.mode()).isEqualTo(0644);
        assertThat(r.snapshot().sourceType()).isEqualTo("objects");
        assertThat(r.snapshot().paths()).containsExactly("s3:bucket/uploads");
        assertThat(r.summary().filesNew()).isEqualTo(3);
    }

    @Test
    void unchangedObjectsAreNotReadAgainAndChangedOnesAre() {
        InMemoryRepository repo = new InMemoryRepository();
        source("uploads").backup(repo, options(), ProgressListener.NONE);
        assertThat(store.opened).hasSize(3);

        store.opened.clear();
        Recorder second = new Recorder();
        BackupResult r2 = source("uploads").backup(repo, options(), second);
        assertThat(store.opened).isEmpty();
        assertThat(second.reused).hasSize(3);
        assertThat(r2.summary().filesUnmodified()).isEqualTo(3);
        assertThat(r2.summary().bytesRead()).isZero();

        store.put("uploads/sub/b.bin", new byte[10_001]);
        store.put("uploads/new.txt", "new".getBytes(StandardCharsets.UTF_8));
        store.opened.clear();
        BackupResult r3 = source("uploads").backup(repo, options(), ProgressListener.NONE);
        assertThat(store.opened).containsExactlyInAnyOrder("uploads/sub/b.bin", "uploads/new.txt");
        assertThat(r3.summary().filesChanged()).isEqualTo(1);
        assertThat(r3.summary().filesNew()).isEqualTo(1);
        assertThat(r3.summary().filesUnmodified()).isEqualTo(2);
        assertThat(r3.snapshot().spec().parent()).isEqualTo(r2.snapshot().id());
    }

    @Test
    void aDifferentEtagAloneMeansChanged() {
        InMemoryRepository repo = new InMemoryRepository();
        source("uploads").backup(repo, options(), ProgressListener.NONE);
        // Same size and time, other ETag: what an S3 overwrite within the same second looks like.
        ObjectStore sameTimeOtherTag = new ForwardingObjectStore(store) {
            @Override
            public void list(String prefix, Consumer<ObjectInfo> consumer) {
                delegate.list(prefix, i -> consumer.accept(i.key().endsWith("a.txt")
                    ? new ObjectInfo(i.key(), i.size(), i.lastModified(), "\"other\"") : i));
            }
        };
        store.opened.clear();
        new ObjectStoreSource(sameTimeOtherTag, "uploads", "s3:bucket/uploads", new FixedSizeChunker(4096))
            .backup(repo, options(), ProgressListener.NONE);
        assertThat(store.opened).containsExactly("uploads/a.txt");
    }

    @Test
    void withoutEtagsSizeAndTimeDecide() {
        InMemoryObjectStore plain = new InMemoryObjectStore();
        plain.put("p/x", "one".getBytes(StandardCharsets.UTF_8));
        EtaggedStore counting = new EtaggedStore(plain, false);
        InMemoryRepository repo = new InMemoryRepository();
        ObjectStoreSource s = new ObjectStoreSource(counting, "p/", "mem:p", new FixedSizeChunker(64));
        s.backup(repo, options(), ProgressListener.NONE);
        counting.opened.clear();
        BackupResult again = s.backup(repo, options(), ProgressListener.NONE);
        assertThat(counting.opened).isEmpty();
        assertThat(files(repo, again).get("p/x").etag()).isNull();
    }

    @Test
    void forceReadsEverything() {
        InMemoryRepository repo = new InMemoryRepository();
        source("uploads").backup(repo, options(), ProgressListener.NONE);
        store.opened.clear();
        source("uploads").backup(repo, options().withNoParent(true), ProgressListener.NONE);
        assertThat(store.opened).hasSize(3);
    }

    @Test
    void keysThatCannotBePathsAreErrorsAndFolderMarkersMakeDirectories() {
        store.put("odd/ok", "ok".getBytes(StandardCharsets.UTF_8));
        store.put("odd/a//b", "x".getBytes(StandardCharsets.UTF_8));
        store.put("odd/../up", "x".getBytes(StandardCharsets.UTF_8));
        store.put("odd/./here", "x".getBytes(StandardCharsets.UTF_8));
        store.put("odd/both", "file".getBytes(StandardCharsets.UTF_8));
        store.put("odd/both/inner", "inner".getBytes(StandardCharsets.UTF_8));
        store.put("odd/empty-folder/", new byte[0]);
        store.put("odd/trailing/", "not a marker".getBytes(StandardCharsets.UTF_8));
        InMemoryRepository repo = new InMemoryRepository();
        Recorder rec = new Recorder();
        BackupResult r = source("odd").backup(repo, options(), rec);
        List<String> paths = new ArrayList<>();
        new TreeWalker(repo).walk(r.snapshot().root(), (p, n) -> paths.add(p + (n.isDir() ? "/" : "")));
        assertThat(paths).containsExactlyInAnyOrder("odd/", "odd/ok", "odd/both/", "odd/both/inner",
            "odd/empty-folder/");
        assertThat(r.summary().errors()).isEqualTo(5);
        assertThat(rec.errors).anyMatch(e -> e.contains("odd/both") && e.contains("folder"))
            .anyMatch(e -> e.contains("odd/a//b"));
    }

    @Test
    void anEmptyPrefixGivesAnEmptyRootDirectoryAndTheWholeStoreIsAPrefixToo() {
        InMemoryRepository repo = new InMemoryRepository();
        BackupResult r = source("nothing-here").backup(repo, options(), ProgressListener.NONE);
        assertThat(files(repo, r)).isEmpty();
        BackupResult all = new ObjectStoreSource(store, "", "s3:bucket", new FixedSizeChunker(4096))
            .backup(repo, options(), ProgressListener.NONE);
        assertThat(files(repo, all)).containsKeys("bucket/uploads/a.txt", "bucket/elsewhere/not-backed-up");
    }

    @Test
    void rootNameIsTheLastSegmentOfTheLabel() {
        assertThat(ObjectStoreSource.rootNameOf("s3:bucket/uploads/2024/")).isEqualTo("2024");
        assertThat(ObjectStoreSource.rootNameOf("s3:bucket")).isEqualTo("bucket");
        assertThat(ObjectStoreSource.rootNameOf("s3:")).isEqualTo("root");
        assertThat(ObjectStoreSource.rootNameOf("s3:b/..")).isEqualTo("b");
    }

    @Test
    void aReadThatFailsMidStreamIsRetriedThenCountedAsAnError() {
        InMemoryRepository repo = new InMemoryRepository();
        int[] failuresLeft = {2};
        ObjectStore flaky = new ForwardingObjectStore(store) {
            @Override
            public InputStream open(String key) {
                InputStream in = delegate.open(key);
                if (!key.endsWith("b.bin")) {
                    return in;
                }
                return new java.io.FilterInputStream(in) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        synchronized (failuresLeft) {
                            if (failuresLeft[0] > 0) {
                                failuresLeft[0]--;
                                throw new IOException("connection reset");
                            }
                        }
                        return super.read(b, off, len);
                    }
                };
            }
        };
        BackupResult ok = new ObjectStoreSource(flaky, "uploads", "s3:bucket/uploads", new FixedSizeChunker(4096))
            .backup(repo, options(), ProgressListener.NONE);
        assertThat(ok.summary().errors()).isZero();
        assertThat(files(repo, ok).get("uploads/sub/b.bin").size()).isEqualTo(10_000);

        failuresLeft[0] = 100;
        Recorder rec = new Recorder();
        BackupResult bad = new ObjectStoreSource(flaky, "uploads", "s3:bucket/uploads", new FixedSizeChunker(4096))
            .backup(repo, options().withNoParent(true), rec);
        assertThat(bad.summary().errors()).isEqualTo(1);
        assertThat(rec.errors).singleElement().asString().contains("uploads/sub/b.bin").contains("3 attempts");
        assertThat(files(repo, bad)).doesNotContainKey("uploads/sub/b.bin");
    }

    @Test
    void aFailedListingFailsTheBackupWithNoSnapshot() {
        FaultInjectingObjectStore broken = FaultInjectingObjectStore.builder(store).build();
        broken.failNext(StoreOperation.LIST, k -> true, 1, FaultInjectingObjectStore.Timing.BEFORE);
        InMemoryRepository repo = new InMemoryRepository();
        assertThatThrownBy(() -> new ObjectStoreSource(broken, "uploads", "s3:bucket/uploads",
                new FixedSizeChunker(4096)).backup(repo, options(), ProgressListener.NONE))
            .isInstanceOf(EngineException.class).hasMessageContaining("cannot list s3:bucket/uploads")
            .hasCauseInstanceOf(TransientStoreException.class);
        assertThat(repo.snapshots()).isEmpty();
    }

    @Test
    void aPermanentReadFailureIsAnErrorAndTheRestIsBackedUp() {
        ObjectStore denying = new ForwardingObjectStore(store) {
            @Override
            public InputStream open(String key) {
                if (key.endsWith("a.txt")) {
                    throw new StoreException("access denied");
                }
                return delegate.open(key);
            }
        };
        InMemoryRepository repo = new InMemoryRepository();
        BackupResult r = new ObjectStoreSource(denying, "uploads", "s3:bucket/uploads", new FixedSizeChunker(4096))
            .backup(repo, options(), ProgressListener.NONE);
        assertThat(r.summary().errors()).isEqualTo(1);
        assertThat(files(repo, r)).containsOnlyKeys("uploads/sub/b.bin", "uploads/sub/deeper/c");
    }

    @Test
    void manyObjectsWithSeveralThreadsRestoreBitForBitToADirectory(@TempDir Path tmp) throws IOException {
        Random random = new Random(7);
        Map<String, byte[]> expected = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            byte[] data = new byte[random.nextInt(20_000)];
            random.nextBytes(data);
            String key = "many/" + (i % 7) + "/" + (i % 3) + "/obj-" + i;
            store.put(key, data);
            expected.put(key, data);
        }
        InMemoryRepository repo = new InMemoryRepository();
        BackupResult r = source("many").backup(repo, BackupOptions.defaults().withThreads(4), ProgressListener.NONE);
        assertThat(r.summary().filesNew()).isEqualTo(200);
        new FileTreeTarget(tmp.resolve("out"), false, 3).restore(repo, r.snapshot(), List.of(), ProgressListener.NONE);
        for (var e : expected.entrySet()) {
            assertThat(Files.readAllBytes(tmp.resolve("out").resolve(e.getKey()))).isEqualTo(e.getValue());
        }
    }
}
