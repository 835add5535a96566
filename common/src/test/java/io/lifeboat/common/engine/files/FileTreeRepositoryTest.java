package io.lifeboat.common.engine.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.chunk.Chunkers;
import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.SnapshotInspector;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.BlobType;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotSpec;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-tree engine against the real repository format on a local directory. */
class FileTreeRepositoryTest {
    private static final char[] PASSWORD = "correct horse".toCharArray();

    @TempDir
    Path tmp;
    Path repoDir;

    @BeforeEach
    void init() {
        repoDir = tmp.resolve("repo");
        Repositories.init(new LocalObjectStore(repoDir), PASSWORD, InitOptions.forTests()).close();
    }

    Repository open() {
        return Repositories.open(new LocalObjectStore(repoDir), PASSWORD);
    }

    BackupResult backup(Path... paths) {
        try (Repository repo = open()) {
            return new FileTreeSource(List.of(paths), Chunkers.create(repo.chunkerParams()))
                .backup(repo, BackupOptions.defaults().withThreads(2), ProgressListener.NONE);
        }
    }

    @Test
    void roundTripRestoresTheTreeBitForBit() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/data"));
        Files.createDirectories(src.resolve("a/b"));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(big);
        Files.write(src.resolve("a/big.bin"), big);
        Files.write(src.resolve("a/b/small.txt"), "small\n".getBytes());
        Files.write(src.resolve("empty"), new byte[0]);
        Path exe = Files.write(src.resolve("tool"), "#!/bin/sh\necho hi\n".getBytes());
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-x--x"));
        Files.createSymbolicLink(src.resolve("abs"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(src.resolve("a/rel"), Path.of("b/small.txt"));
        Files.setLastModifiedTime(src.resolve("a/b"), FileTime.from(1_234_567_890_123_456_789L, TimeUnit.NANOSECONDS));

        Snapshot s = backup(src).snapshot();
        Path target = tmp.resolve("restore");
        try (Repository repo = open()) {
            new FileTreeTarget(target, false, 3).restore(repo, repo.snapshot("latest"), List.of(),
                ProgressListener.NONE);
            assertThat(repo.snapshot("latest").id()).isEqualTo(s.id());
        }
        FileTreeTargetTest.assertSameTree(src, target.resolve("data"));
    }

    @Test
    void manySmallFilesRestoredInBatchesKeepTheirContentAndMetadata() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/many"));
        Random r = new Random(5);
        for (int d = 0; d < 3; d++) {
            Path dir = Files.createDirectories(src.resolve("d" + d));
            for (int i = 0; i < 2 * FileTreeTarget.BATCH_FILES + 7; i++) {
                byte[] data = new byte[r.nextInt(4000)];
                r.nextBytes(data);
                Path f = Files.write(dir.resolve("f" + i), data);
                Files.setLastModifiedTime(f, FileTime.from(1_600_000_000_000_000_000L + i, TimeUnit.NANOSECONDS));
                if (i % 5 == 0) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
                }
            }
            // the same content twice in one batch, and a file too large to batch between them
            Files.writeString(dir.resolve("dup-a"), "same content");
            byte[] large = new byte[FileTreeTarget.BATCH_FILE_MAX + 1];
            r.nextBytes(large);
            Files.write(dir.resolve("large"), large);
            Files.writeString(dir.resolve("dup-b"), "same content");
            Files.write(dir.resolve("empty"), new byte[0]);
        }
        backup(src);
        Path target = tmp.resolve("restore-many");
        try (Repository repo = open()) {
            new FileTreeTarget(target, false, 2).restore(repo, repo.snapshot("latest"), List.of(), ProgressListener.NONE);
        }
        FileTreeTargetTest.assertSameTree(src, target.resolve("many"));
    }

    @Test
    void unchangedFilesAreNotReadOnTheSecondBackup() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("data"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(src.resolve("f" + i), "content " + i);
        }
        backup(src);
        Files.writeString(src.resolve("f3"), "changed");
        FileTreeSourceTest.ReadRecorder rec = new FileTreeSourceTest.ReadRecorder();
        try (Repository repo = open()) {
            BackupResult r = new FileTreeSource(List.of(src), Chunkers.create(repo.chunkerParams()))
                .backup(repo, BackupOptions.defaults().withThreads(2), rec);
            assertThat(rec.read).containsExactly("f3");
            assertThat(rec.reused).hasSize(19);
            assertThat(r.summary().filesUnmodified()).isEqualTo(19);
        }
    }

    @Test
    void insertingOneByteAtTheStartOfA64MiBFileAddsLittleData() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("big"));
        Path f = src.resolve("file.bin");
        Random rnd = new Random(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(f)) {
            for (int i = 0; i < 64; i++) {
                rnd.nextBytes(block);
                out.write(block);
            }
        }
        BackupResult first = backup(src);
        assertThat(first.summary().bytesAdded()).isGreaterThanOrEqualTo(64L << 20);
        Path shifted = src.resolve("file.tmp");
        try (OutputStream out = Files.newOutputStream(shifted); var in = Files.newInputStream(f)) {
            out.write(0x5a);
            in.transferTo(out);
        }
        Files.move(shifted, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        BackupResult second = backup(src);
        assertThat(second.summary().bytesRead()).isEqualTo((64L << 20) + 1);
        assertThat(second.summary().bytesAdded()).isLessThan(3L << 20);
    }

    @Test
    void maliciousSnapshotIsRefusedAndNothingIsWrittenOutsideTheTarget() throws Exception {
        Path sentinel = Files.createDirectories(tmp.resolve("sentinel"));
        Files.writeString(sentinel.resolve("keep"), "untouched");
        try (Repository repo = open()) {
            BlobId data = save(repo, BlobType.DATA, "evil".getBytes());
            String file = "{\"name\":%s,\"type\":\"file\",\"mode\":420,\"mtime\":0,\"size\":4,\"content\":[\""
                + data.hex() + "\"]}";
            // a subtree holding a symlink to the sentinel, then a second subtree that tries evil/x
            BlobId linkTree = save(repo, BlobType.TREE, ("{\"version\":1,\"nodes\":[{\"name\":\"evil\",\"type\":\"symlink\","
                + "\"mode\":511,\"mtime\":0,\"target\":\"" + sentinel + "\"}]}").getBytes(StandardCharsets.UTF_8));
            BlobId evilX = save(repo, BlobType.TREE, ("{\"version\":1,\"nodes\":[" + String.format(file, "\"evil/x\"")
                + "]}").getBytes(StandardCharsets.UTF_8));
            List<String> roots = List.of(
                "{\"version\":1,\"nodes\":[" + String.format(file, "\"..\"") + "]}",
                "{\"version\":1,\"nodes\":[" + String.format(file, "\"" + sentinel.resolve("keep") + "\"") + "]}",
                "{\"version\":1,\"nodes\":[" + String.format(file, "\"../sentinel/keep\"") + "]}",
                "{\"version\":1,\"nodes\":[{\"name\":\"a\",\"type\":\"dir\",\"mode\":493,\"mtime\":0,\"subtree\":\""
                    + linkTree.hex() + "\"},{\"name\":\"b\",\"type\":\"dir\",\"mode\":493,\"mtime\":0,\"subtree\":\""
                    + evilX.hex() + "\"}]}");
            int i = 0;
            for (String root : roots) {
                BlobId rootId = save(repo, BlobType.TREE, root.getBytes(StandardCharsets.UTF_8));
                Snapshot s = repo.commitSnapshot(new SnapshotSpec("files", rootId, "h", "u", List.of("/evil"),
                    List.of(), null, Instant.now(), Map.of(), Map.of()));
                Path target = tmp.resolve("target" + i++);
                assertThatThrownBy(() -> new FileTreeTarget(target, false, 2).restore(repo, s, List.of(),
                    ProgressListener.NONE)).isInstanceOf(CorruptObjectException.class);
            }
        }
        try (Stream<Path> all = Files.walk(sentinel)) {
            assertThat(all.toList()).containsExactlyInAnyOrder(sentinel, sentinel.resolve("keep"));
        }
        assertThat(Files.readString(sentinel.resolve("keep"))).isEqualTo("untouched");
        try (Stream<Path> all = Files.list(tmp)) {
            assertThat(all.map(p -> p.getFileName().toString()))
                .allMatch(n -> n.equals("repo") || n.equals("sentinel") || n.startsWith("target"));
        }
    }

    private static BlobId save(Repository repo, BlobType type, byte[] bytes) {
        BlobId id = repo.blobId(bytes);
        repo.saveBlob(type, id, bytes, 0, bytes.length);
        return id;
    }

    @Test
    void twoConcurrentBackupsIntoOneRepositoryBothRestore() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("one/data-a"));
        Path b = Files.createDirectories(tmp.resolve("two/data-b"));
        Random rnd = new Random(3);
        for (int i = 0; i < 8; i++) {
            byte[] x = new byte[700_000];
            rnd.nextBytes(x);
            Files.write(a.resolve("a" + i), x);
            Files.write(b.resolve("b" + i), x); // same content: both runs dedup against each other
            Files.writeString(b.resolve("own" + i), "only in b " + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<BackupResult> fa = pool.submit(() -> backup(a));
            Future<BackupResult> fb = pool.submit(() -> backup(b));
            fa.get(5, TimeUnit.MINUTES);
            fb.get(5, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        try (Repository repo = open()) {
            assertThat(repo.snapshots()).hasSize(2);
            for (Snapshot s : repo.snapshots()) {
                Path target = tmp.resolve("restore-" + s.id().shortHex());
                new FileTreeTarget(target, false, 2).restore(repo, s, List.of(), ProgressListener.NONE);
                Path src = s.paths().get(0).endsWith("data-a") ? a : b;
                FileTreeTargetTest.assertSameTree(src, target.resolve(src.getFileName().toString()));
            }
            var check = new SnapshotInspector(repo).check(repo.snapshots(), Map.of());
            assertThat(check.problems()).isEmpty();
        }
    }

}
