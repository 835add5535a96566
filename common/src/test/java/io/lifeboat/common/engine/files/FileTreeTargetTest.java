package io.lifeboat.common.engine.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.NodeType;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.RestoreSummary;
import io.lifeboat.common.engine.RestoreTarget;
import io.lifeboat.common.engine.RestoreTargetContract;
import io.lifeboat.common.engine.SnapshotInspector;
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.engine.testing.FixedSizeChunker;
import io.lifeboat.common.repository.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreeTargetTest extends RestoreTargetContract {
    @TempDir
    Path tmp;
    Path target;
    Path sentinel;
    int targets;

    @BeforeEach
    void sentinel() throws IOException {
        sentinel = Files.createDirectories(tmp.resolve("sentinel"));
        Files.write(sentinel.resolve("keep"), "untouched".getBytes());
    }

    @Override
    protected RestoreTarget newTarget() {
        target = tmp.resolve("target" + targets++);
        return new FileTreeTarget(target, false, 2);
    }

    @Override
    protected Map<String, byte[]> restoredFiles() throws IOException {
        return readTree(target);
    }

    static Map<String, byte[]> readTree(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(root.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    @Override
    protected void assertNothingOutside() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                .allMatch(n -> n.equals("sentinel") || n.startsWith("target") || n.equals("src"));
        }
        assertThat(readTree(sentinel)).containsOnlyKeys("keep");
        assertThat(Files.readString(sentinel.resolve("keep"))).isEqualTo("untouched");
    }

    @Test
    void symlinkToOutsideIsNeverWrittenThrough() throws Exception {
        TreeNode evilLink = TreeNode.builder("evil", NodeType.SYMLINK).mtimeNs(1).linkTarget(sentinel.toString()).build();
        Snapshot first = snapshot(dir("a", evilLink));
        newTarget().restore(repo, first, List.of(), ProgressListener.NONE);
        Path restoredTarget = target;
        assertThat(Files.readSymbolicLink(restoredTarget.resolve("a/evil"))).isEqualTo(sentinel);

        Snapshot second = snapshot(dir("a", dir("evil", file("keep", "overwritten!"), file("x", "planted"))));
        FileTreeTarget again = new FileTreeTarget(restoredTarget, false, 2);
        assertThatThrownBy(() -> again.restore(repo, second, List.of(), ProgressListener.NONE))
            .isInstanceOf(EngineException.class);
        RestoreSummary s = new FileTreeTarget(restoredTarget, true, 2).restore(repo, second, List.of(),
            ProgressListener.NONE);
        assertThat(s.errors()).isZero();
        assertThat(Files.isSymbolicLink(restoredTarget.resolve("a/evil"))).isFalse();
        assertThat(Files.readString(restoredTarget.resolve("a/evil/x"))).isEqualTo("planted");
        assertNothingOutside();
    }

    @Test
    void overwriteReplacesAnExistingSymlinkFileInsteadOfWritingThroughIt() throws Exception {
        target = tmp.resolve("target-o");
        Files.createDirectories(target);
        Files.createSymbolicLink(target.resolve("keep"), sentinel.resolve("keep"));
        Snapshot s = snapshot(file("keep", "from snapshot"));
        new FileTreeTarget(target, true, 2).restore(repo, s, List.of(), ProgressListener.NONE);
        assertThat(Files.isSymbolicLink(target.resolve("keep"))).isFalse();
        assertThat(Files.readString(target.resolve("keep"))).isEqualTo("from snapshot");
        assertNothingOutside();
    }

    @Test
    void largeFilesAreWrittenGroupByGroupAtTheirOffsets() throws Exception {
        // Larger than several groups of FileTreeTarget.LARGE_GROUP_BYTES, in 8 KiB blobs, one of
        // them made of a repeated blob, and a file whose length is not a multiple of the blob size.
        Path src = Files.createDirectories(tmp.resolve("large/data"));
        int size = 3 * FileTreeTarget.LARGE_GROUP_BYTES + 12_345;
        byte[] random = new byte[size];
        new java.util.Random(11).nextBytes(random);
        byte[] repeated = new byte[size - 4096];
        java.util.Arrays.fill(repeated, (byte) 'x');
        Files.write(src.resolve("random.bin"), random);
        Files.write(src.resolve("repeated.bin"), repeated);
        Files.write(src.resolve("small.txt"), "small".getBytes());
        BackupResult b = new FileTreeSource(List.of(src), new FixedSizeChunker(8192))
            .backup(repo, BackupOptions.defaults().withThreads(2), ProgressListener.NONE);

        target = tmp.resolve("target-large");
        new FileTreeTarget(target, false, 2).restore(repo, b.snapshot(), List.of(), ProgressListener.NONE);
        assertSameTree(src, target.resolve("data"));

        // A blob in the middle of a large file gone: the restore fails instead of leaving a hole.
        List<io.lifeboat.common.repository.BlobId> content = new SnapshotInspector(repo)
            .find(b.snapshot(), "/data/random.bin").orElseThrow().content();
        repo.remove(content.get(content.size() / 2));
        assertThatThrownBy(() -> new FileTreeTarget(tmp.resolve("target-hole"), false, 2)
            .restore(repo, b.snapshot(), List.of(), ProgressListener.NONE)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void roundTripIsBitForBit() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/data"));
        Files.createDirectories(src.resolve("sub/deep"));
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        Files.write(src.resolve("big.bin"), big);
        Files.write(src.resolve("sub/empty"), new byte[0]);
        Files.write(src.resolve("sub/deep/text.txt"), "text\n".getBytes());
        Path script = Files.write(src.resolve("run.sh"), "#!/bin/sh\n".getBytes());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(src.resolve("abs-link"), Path.of("/tmp/outside-nowhere"));
        Files.createSymbolicLink(src.resolve("sub/rel-link"), Path.of("../big.bin"));
        Path ro = Files.createDirectories(src.resolve("readonly"));
        Files.write(ro.resolve("inside"), "r".getBytes());
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setLastModifiedTime(src.resolve("sub/deep/text.txt"), FileTime.from(1_500_000_000_123_456_789L, TimeUnit.NANOSECONDS));
        Files.setLastModifiedTime(src.resolve("sub"), FileTime.from(1_400_000_000_000_000_001L, TimeUnit.NANOSECONDS));

        BackupResult b = new FileTreeSource(List.of(src), new FixedSizeChunker(8192))
            .backup(repo, BackupOptions.defaults().withThreads(2), ProgressListener.NONE);
        target = tmp.resolve("target-rt");
        new FileTreeTarget(target, false, 3).restore(repo, b.snapshot(), List.of(), ProgressListener.NONE);
        try {
            assertSameTree(src, target.resolve("data"));
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(target.resolve("data/readonly"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = new SnapshotInspector(repo).dump(b.snapshot(), "/data/big.bin", out);
        assertThat(n).isEqualTo(big.length);
        assertThat(out.toByteArray()).isEqualTo(big);
    }

    static void assertSameTree(Path a, Path b) throws IOException {
        io.lifeboat.common.engine.testing.TreeAssertions.assertSameTree(a, b);
    }
}
