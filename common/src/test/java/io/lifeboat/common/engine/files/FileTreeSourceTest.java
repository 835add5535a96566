package io.lifeboat.common.engine.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.BackupSource;
import io.lifeboat.common.engine.BackupSourceContract;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.SnapshotInspector;
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.engine.testing.FixedSizeChunker;
import io.lifeboat.common.engine.testing.InMemoryRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreeSourceTest extends BackupSourceContract {
    @TempDir
    Path tmp;

    @Override
    protected BackupSource newSource() throws IOException {
        Path data = tmp.resolve("data");
        if (!Files.exists(data)) {
            Files.createDirectories(data.resolve("sub/deeper"));
            Files.write(data.resolve("a.txt"), "hello".getBytes());
            Files.write(data.resolve("sub/b.bin"), new byte[10_000]);
            Files.write(data.resolve("sub/deeper/c"), "c".repeat(5000).getBytes());
        }
        return new FileTreeSource(List.of(data), new FixedSizeChunker(4096));
    }

    @Override
    protected long expectedBytes() {
        return 5 + 10_000 + 5000;
    }

    /** Records which files a backup read. */
    static final class ReadRecorder implements ProgressListener {
        final Set<String> read = ConcurrentHashMap.newKeySet();
        final Set<String> reused = ConcurrentHashMap.newKeySet();
        final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void itemDone(String path, long bytes, boolean wasRead) {
            (wasRead ? read : reused).add(Path.of(path).getFileName().toString());
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    }

    @Test
    void unchangedFilesAreNotReadAgain() throws Exception {
        InMemoryRepository repo = new InMemoryRepository();
        BackupSource source = newSource();
        ReadRecorder first = new ReadRecorder();
        source.backup(repo, options(), first);
        assertThat(first.read).containsExactlyInAnyOrder("a.txt", "b.bin", "c");

        Files.write(tmp.resolve("data/sub/b.bin"), new byte[10_001]);
        ReadRecorder second = new ReadRecorder();
        BackupResult r = source.backup(repo, options(), second);
        assertThat(second.read).containsExactly("b.bin");
        assertThat(second.reused).containsExactlyInAnyOrder("a.txt", "c");
        assertThat(r.summary().filesUnmodified()).isEqualTo(2);
        assertThat(r.summary().filesChanged()).isEqualTo(1);
        assertThat(r.summary().bytesRead()).isEqualTo(10_001);
        assertThat(r.snapshot().spec().parent()).isEqualTo(repo.snapshots().get(0).id());
    }

    @Test
    void noParentReadsEverything() throws Exception {
        InMemoryRepository repo = new InMemoryRepository();
        BackupSource source = newSource();
        source.backup(repo, options(), ProgressListener.NONE);
        ReadRecorder second = new ReadRecorder();
        source.backup(repo, options().withNoParent(true), second);
        assertThat(second.read).hasSize(3);
    }

    @Test
    void recordsMetadataAndSymlinksWithoutFollowingThem() throws Exception {
        Path data = tmp.resolve("m");
        Files.createDirectories(data);
        Path f = Files.write(data.resolve("f"), "x".getBytes());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x---"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.write(outside.resolve("secret"), "do not back up".getBytes());
        Files.createSymbolicLink(data.resolve("link"), outside);
        InMemoryRepository repo = new InMemoryRepository();
        BackupResult r = new FileTreeSource(List.of(data), new FixedSizeChunker(4096))
            .backup(repo, options(), ProgressListener.NONE);
        SnapshotInspector in = new SnapshotInspector(repo);
        TreeNode fn = in.find(r.snapshot(), "m/f").orElseThrow();
        assertThat(fn.mode()).isEqualTo(0750);
        assertThat(fn.size()).isEqualTo(1);
        assertThat(fn.inode()).isNotZero();
        assertThat(fn.uid()).isNotNegative();
        assertThat(fn.user()).isNotEmpty();
        assertThat(fn.mtimeNs()).isEqualTo(Files.getLastModifiedTime(f).to(java.util.concurrent.TimeUnit.NANOSECONDS));
        TreeNode link = in.find(r.snapshot(), "m/link").orElseThrow();
        assertThat(link.isSymlink()).isTrue();
        assertThat(link.linkTarget()).isEqualTo(outside.toString());
        assertThat(r.summary().files()).isEqualTo(1);
        assertThat(r.summary().bytesTotal()).isEqualTo(1);
    }

    @Test
    void specialFilesAreSkippedWithAWarning() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("s"));
        Files.write(data.resolve("ok"), "ok".getBytes());
        Process p = new ProcessBuilder("mkfifo", data.resolve("fifo").toString()).start();
        assertThat(p.waitFor()).isZero();
        ReadRecorder rec = new ReadRecorder();
        BackupResult r = new FileTreeSource(List.of(data), new FixedSizeChunker(4096))
            .backup(new InMemoryRepository(), options(), rec);
        assertThat(r.summary().warnings()).anyMatch(w -> w.contains("special file") && w.contains("fifo"));
        assertThat(r.summary().files()).isEqualTo(1);
        assertThat(r.summary().errors()).isZero();
    }

    @Test
    void unreadableFilesAreCountedAsErrorsAndTheBackupCommits() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
            "root reads files whatever their permissions");
        Path data = Files.createDirectories(tmp.resolve("u"));
        Files.write(data.resolve("ok"), "ok".getBytes());
        Path locked = Files.write(data.resolve("locked"), "no".getBytes());
        Files.setPosixFilePermissions(locked, Set.of());
        InMemoryRepository repo = new InMemoryRepository();
        BackupResult r = new FileTreeSource(List.of(data), new FixedSizeChunker(4096))
            .backup(repo, options(), ProgressListener.NONE);
        assertThat(r.summary().errors()).isEqualTo(1);
        assertThat(repo.snapshots()).hasSize(1);
        assertThat(new SnapshotInspector(repo).find(r.snapshot(), "u/locked")).isEmpty();
    }

    @Test
    void aFileThatFailsToReadIsAnErrorEvenForRoot() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("e"));
        Files.write(data.resolve("ok"), "ok".getBytes());
        Files.write(data.resolve("bad"), "unreadable".getBytes());
        Files.write(data.resolve("gone"), "vanishes".getBytes());
        InMemoryRepository repo = new InMemoryRepository();
        ReadRecorder rec = new ReadRecorder();
        BackupResult r = new FileTreeSource(List.of(data), new FixedSizeChunker(4096), p -> {
            String n = p.getFileName().toString();
            if (n.equals("bad")) {
                throw new java.nio.file.AccessDeniedException(p.toString());
            }
            if (n.equals("gone")) {
                throw new java.nio.file.NoSuchFileException(p.toString());
            }
            return Files.newInputStream(p);
        }).backup(repo, options(), rec);
        assertThat(r.summary().errors()).isEqualTo(1);
        assertThat(r.summary().files()).isEqualTo(1);
        assertThat(r.summary().warnings()).singleElement().asString().contains("vanished").contains("gone");
        assertThat(rec.warnings).hasSize(1);
        assertThat(repo.snapshots()).containsExactly(r.snapshot());
        assertThat(r.snapshot().spec().summary()).containsEntry("errors", 1L);
        SnapshotInspector in = new SnapshotInspector(repo);
        assertThat(in.find(r.snapshot(), "e/ok")).isPresent();
        assertThat(in.find(r.snapshot(), "e/bad")).isEmpty();
        assertThat(in.find(r.snapshot(), "e/gone")).isEmpty();
    }

    @Test
    void missingRootFailsAndCommitsNothing() {
        InMemoryRepository repo = new InMemoryRepository();
        assertThatThrownBy(() -> new FileTreeSource(List.of(tmp.resolve("nope")), new FixedSizeChunker(4096))
            .backup(repo, options(), ProgressListener.NONE))
            .isInstanceOf(EngineException.class).hasMessageContaining("does not exist");
        assertThat(repo.snapshots()).isEmpty();
    }

    @Test
    void pathsWithTheSameNameAreRefused() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("x/data"));
        Path b = Files.createDirectories(tmp.resolve("y/data"));
        assertThatThrownBy(() -> new FileTreeSource(List.of(a, b), new FixedSizeChunker(4096)))
            .isInstanceOf(EngineException.class).hasMessageContaining("data");
    }

    @Test
    void theWalkGoesOnComparingUnchangedFilesWhileTheReadersAreBusy() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("queue"));
        for (int i = 0; i < 30; i++) {
            Files.write(data.resolve("changed" + i), ("old " + i).getBytes());
            Files.write(data.resolve("same" + i), ("same " + i).getBytes());
        }
        InMemoryRepository repo = new InMemoryRepository();
        new FileTreeSource(List.of(data), new FixedSizeChunker(64)).backup(repo, options().withThreads(1),
            ProgressListener.NONE);
        for (int i = 0; i < 30; i++) {
            Files.write(data.resolve("changed" + i), ("new content " + i).getBytes());
        }
        // Every read waits until the walk has reported all unchanged files: with one reader, the
        // walk must get past the changed files (in whatever order the directory lists them).
        java.util.concurrent.CountDownLatch unchanged = new java.util.concurrent.CountDownLatch(30);
        java.util.concurrent.atomic.AtomicBoolean readBeforeWalkDone = new java.util.concurrent.atomic.AtomicBoolean();
        FileTreeSource.ContentOpener held = file -> {
            try {
                if (!readBeforeWalkDone.get() && !unchanged.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    readBeforeWalkDone.set(true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Files.newInputStream(file);
        };
        ProgressListener reused = new ProgressListener() {
            @Override
            public void itemDone(String path, long bytes, boolean read) {
                if (!read) {
                    unchanged.countDown();
                }
            }
        };
        BackupResult r = new FileTreeSource(List.of(data), new FixedSizeChunker(64), held)
            .backup(repo, options().withThreads(1), reused);
        assertThat(readBeforeWalkDone).isFalse();
        assertThat(r.summary().filesChanged()).isEqualTo(30);
        assertThat(r.summary().filesUnmodified()).isEqualTo(30);
    }

    /** Records totals and holds the first file's read until they arrive, or until a while has passed. */
    private static final class TotalsWaiter implements ProgressListener {
        final java.util.concurrent.CountDownLatch totals = new java.util.concurrent.CountDownLatch(1);
        final java.time.Duration wanted;
        volatile long files = -1;
        volatile long bytes = -1;

        TotalsWaiter(java.time.Duration wanted) {
            this.wanted = wanted;
        }

        @Override
        public java.time.Duration totalsWantedAfter() {
            return wanted;
        }

        @Override
        public void totals(long files, long bytes) {
            this.files = files;
            this.bytes = bytes;
            totals.countDown();
        }

        @Override
        public void itemStarted(String path) {
            try {
                totals.await(wanted != null && wanted.isZero() ? 30 : 1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aListenerThatWantsTotalsAtOnceGetsThem() throws Exception {
        TotalsWaiter listener = new TotalsWaiter(java.time.Duration.ZERO);
        newSource().backup(new InMemoryRepository(), options(), listener);
        assertThat(listener.files).isEqualTo(3);
        assertThat(listener.bytes).isEqualTo(expectedBytes());
    }

    @Test
    void noCountingScanRunsForAListenerThatNeverShowsTotalsOrOneThatWantsThemLater() throws Exception {
        for (java.time.Duration wanted : java.util.Arrays.asList(null, java.time.Duration.ofHours(1))) {
            TotalsWaiter listener = new TotalsWaiter(wanted);
            BackupResult r = newSource().backup(new InMemoryRepository(), options(), listener);
            assertThat(r.summary().files()).isEqualTo(3);
            assertThat(listener.files).as("totals for %s", wanted).isEqualTo(-1);
        }
        // The scan waiting its hour was interrupted when its backup ended.
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("lifeboat-scan")) {
                t.join(30_000);
                assertThat(t.isAlive()).as("a counting scan still waiting").isFalse();
            }
        }
    }

    @Test
    void manyFilesWithFewThreadsAllArrive() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("many"));
        for (int d = 0; d < 10; d++) {
            Path dir = Files.createDirectories(data.resolve("d" + d));
            for (int i = 0; i < 30; i++) {
                Files.write(dir.resolve("f" + i), ("file " + d + "/" + i).repeat(i + 1).getBytes());
            }
        }
        InMemoryRepository repo = new InMemoryRepository();
        BackupResult r = new FileTreeSource(List.of(data), new FixedSizeChunker(64))
            .backup(repo, options().withThreads(3), ProgressListener.NONE);
        assertThat(r.summary().files()).isEqualTo(300);
        assertThat(r.summary().dirs()).isEqualTo(11);
        assertThat(new SnapshotInspector(repo).stats(repo.snapshots()).files()).isEqualTo(300);
    }

    @Test
    void anIncrementalBackupOfManyDirectoriesReusesEveryUnchangedFileAndStoresTheSameTrees() throws Exception {
        // More directories than the tree prefetch loads in one batch, several levels deep, some
        // with identical content (one subtree shared by several), and after the first backup a
        // directory removed, one replaced by a file and one new one: the second backup must read
        // only what changed and store exactly the trees a backup without a parent stores.
        Path data = Files.createDirectories(tmp.resolve("wide"));
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 8; b++) {
                Path dir = Files.createDirectories(data.resolve("a" + a).resolve("b" + b).resolve("c"));
                Files.write(dir.resolve("same"), "identical".getBytes());
                if (b % 2 == 0) {
                    Files.write(dir.getParent().resolve("f" + a + b), ("file " + a + b).getBytes());
                }
            }
        }
        InMemoryRepository repo = new InMemoryRepository();
        FileTreeSource source = new FileTreeSource(List.of(data), new FixedSizeChunker(64));
        source.backup(repo, options().withThreads(2), ProgressListener.NONE);

        try (var s = Files.walk(data.resolve("a1/b3"))) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (var s = Files.walk(data.resolve("a2/b5"))) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.write(data.resolve("a2/b5"), "now a file".getBytes());
        Files.write(Files.createDirectories(data.resolve("a4/new")).resolve("n"), "new".getBytes());
        ReadRecorder second = new ReadRecorder();
        BackupResult incremental = source.backup(repo, options().withThreads(2), second);
        assertThat(second.read).containsExactlyInAnyOrder("b5", "n");
        assertThat(incremental.summary().filesUnmodified()).isEqualTo(40 + 20 - 2);

        BackupResult full = source.backup(repo, options().withThreads(2).withNoParent(true), ProgressListener.NONE);
        assertThat(incremental.snapshot().spec().root()).isEqualTo(full.snapshot().spec().root());
    }

    @Test
    void theTreePrefetchEndsWithTheBackupEvenWhenTheWalkNeverTakesItsTrees() throws Exception {
        // The parent has more directories than the prefetch may hold; all are gone by the second
        // backup, so the walk takes none of their trees and the prefetch fills up and waits.
        Path data = Files.createDirectories(tmp.resolve("gone"));
        for (int i = 0; i < FileTreeSource.PREFETCH_LIMIT + 40; i++) {
            Files.write(Files.createDirectories(data.resolve("d" + i)).resolve("f"), ("f" + i).getBytes());
        }
        InMemoryRepository repo = new InMemoryRepository();
        FileTreeSource source = new FileTreeSource(List.of(data), new FixedSizeChunker(64));
        source.backup(repo, options(), ProgressListener.NONE);
        for (int i = 0; i < FileTreeSource.PREFETCH_LIMIT + 40; i++) {
            Files.delete(data.resolve("d" + i).resolve("f"));
            Files.delete(data.resolve("d" + i));
        }
        Files.write(data.resolve("new"), "new".getBytes());
        // Reading the one new file takes long enough for the prefetch to fill up.
        ProgressListener slow = new ProgressListener() {
            @Override
            public void itemStarted(String path) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        BackupResult r = source.backup(repo, options(), slow);
        assertThat(r.summary().files()).isEqualTo(1);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (prefetchThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(prefetchThreadAlive()).isFalse();
    }

    private static boolean prefetchThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.isAlive() && t.getName().equals("lifeboat-tree-prefetch"));
    }

    @Test
    void aSmallFileThatGrowsOrShrinksWhileReadIsStoredAsReadWithAWarning() throws Exception {
        // Both files fit one chunk when listed, so each is read in one call of its listed size.
        Path data = Files.createDirectories(tmp.resolve("moving"));
        Files.write(data.resolve("grows"), "0123456789".getBytes());
        Files.write(data.resolve("shrinks"), "0123456789".getBytes());
        Files.write(data.resolve("steady"), "0123456789".getBytes());
        InMemoryRepository repo = new InMemoryRepository();
        ReadRecorder rec = new ReadRecorder();
        BackupResult r = new FileTreeSource(List.of(data), new FixedSizeChunker(4096), p -> {
            String n = p.getFileName().toString();
            if (n.equals("grows")) {
                Files.write(p, "0123456789abcdef".getBytes());
            } else if (n.equals("shrinks")) {
                Files.write(p, "0123".getBytes());
            }
            return Files.newInputStream(p);
        }).backup(repo, options(), rec);
        assertThat(rec.warnings).hasSize(2).allMatch(w -> w.startsWith("changed while it was read"))
            .anyMatch(w -> w.endsWith("grows")).anyMatch(w -> w.endsWith("shrinks"));
        assertThat(r.summary().files()).isEqualTo(3);
        SnapshotInspector in = new SnapshotInspector(repo);
        assertThat(dump(in, r, "moving/grows")).isEqualTo("0123456789");
        assertThat(dump(in, r, "moving/shrinks")).isEqualTo("0123");
        assertThat(dump(in, r, "moving/steady")).isEqualTo("0123456789");
    }

    @Test
    void filesAroundTheSingleChunkLimitRoundTrip() throws Exception {
        // At the chunker's minimum size a file is read whole; one byte more and it is streamed.
        Path data = Files.createDirectories(tmp.resolve("edge"));
        byte[] content = new byte[4097];
        new java.util.Random(7).nextBytes(content);
        Files.write(data.resolve("empty"), new byte[0]);
        Files.write(data.resolve("at"), java.util.Arrays.copyOf(content, 4096));
        Files.write(data.resolve("over"), content);
        InMemoryRepository repo = new InMemoryRepository();
        BackupResult r = new FileTreeSource(List.of(data), new FixedSizeChunker(4096))
            .backup(repo, options(), ProgressListener.NONE);
        SnapshotInspector in = new SnapshotInspector(repo);
        assertThat(in.find(r.snapshot(), "edge/empty").orElseThrow().content()).isEmpty();
        assertThat(in.find(r.snapshot(), "edge/at").orElseThrow().content()).hasSize(1);
        assertThat(in.find(r.snapshot(), "edge/over").orElseThrow().content()).hasSize(2);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        in.dump(r.snapshot(), "edge/over", out);
        assertThat(out.toByteArray()).isEqualTo(content);
        out.reset();
        in.dump(r.snapshot(), "edge/at", out);
        assertThat(out.toByteArray()).isEqualTo(java.util.Arrays.copyOf(content, 4096));
    }

    private static String dump(SnapshotInspector in, BackupResult r, String path) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        in.dump(r.snapshot(), path, out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
