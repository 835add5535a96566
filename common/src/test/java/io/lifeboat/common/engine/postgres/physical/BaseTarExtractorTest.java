package io.lifeboat.common.engine.postgres.physical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.engine.EngineException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BaseTarExtractorTest {
    @TempDir
    Path tmp;

    static final long MTIME = 1_700_000_000L;

    /** A ustar header as pg_basebackup writes one. */
    static byte[] header(String name, long size, char type, int mode, String link) {
        byte[] h = new byte[512];
        BaseTarScannerTest.put(h, 0, name);
        BaseTarScannerTest.put(h, 100, String.format("%07o", mode));
        BaseTarScannerTest.put(h, 108, String.format("%07o", 0));
        BaseTarScannerTest.put(h, 116, String.format("%07o", 0));
        BaseTarScannerTest.put(h, 124, String.format("%011o", size));
        BaseTarScannerTest.put(h, 136, String.format("%011o", MTIME));
        h[156] = (byte) type;
        if (link != null) {
            BaseTarScannerTest.put(h, 157, link);
        }
        BaseTarScannerTest.put(h, 257, "ustar");
        BaseTarScannerTest.put(h, 263, "00");
        BaseTarScannerTest.checksum(h);
        return h;
    }

    static final class TarBuilder {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        TarBuilder dir(String name, int mode) {
            out.writeBytes(header(name, 0, '5', mode, null));
            return this;
        }

        TarBuilder file(String name, int mode, byte[] content) {
            out.writeBytes(header(name, content.length, '0', mode, null));
            return content(content);
        }

        TarBuilder content(byte[] content) {
            out.writeBytes(content);
            out.writeBytes(new byte[(512 - content.length % 512) % 512]);
            return this;
        }

        TarBuilder link(String name, String target) {
            out.writeBytes(header(name, 0, '2', 0777, target));
            return this;
        }

        TarBuilder raw(byte[] header) {
            out.writeBytes(header);
            return this;
        }

        byte[] end() {
            out.writeBytes(new byte[1024]);
            return out.toByteArray();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    Path root() throws IOException {
        Path root = tmp.resolve("data");
        Files.createDirectory(root);
        return root;
    }

    /** Feeds the tar in pieces of {@code piece} bytes and finishes. */
    static void extract(Path root, byte[] tar, int piece, int writers) throws IOException {
        try (BaseTarExtractor x = new BaseTarExtractor(root, null, null, writers)) {
            for (int off = 0; off < tar.length; off += piece) {
                // A copy per piece, as blobs arrive: the writers may hold on to them.
                byte[] b = Arrays.copyOfRange(tar, off, Math.min(tar.length, off + piece));
                x.feed(b, 0, b.length);
            }
            x.finish();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {509, 4096, 100_000, Integer.MAX_VALUE})
    void extractsFilesDirectoriesLinksAndModes(int piece) throws IOException {
        for (int writers : new int[] {0, 2}) {
            Path root = tmp.resolve("data-" + writers);
            Files.createDirectory(root);
            byte[] relation = random(3 * 8192, 1);
            byte[] large = random((int) BaseTarExtractor.SMALL * 2 + 777, 2);
            byte[] tar = new TarBuilder()
                .file("PG_VERSION", 0600, "15\n".getBytes(StandardCharsets.US_ASCII))
                .dir("base/", 0700)
                .dir("base/1/", 0750)
                .file("base/1/1259", 0600, relation)
                .file("base/1/16384", 0640, large)
                .file("base/1/empty", 0600, new byte[0])
                .file("./implicit/parent/file", 0600, new byte[] {42})
                .dir("ro/", 0500)
                .file("ro/inside", 0400, new byte[] {1, 2, 3})
                .link("pg_tblspc_link", "/nonexistent/tablespace")
                .end();
            extract(root, tar, Math.min(piece, tar.length), writers);

            assertThat(Files.readString(root.resolve("PG_VERSION"))).isEqualTo("15\n");
            assertThat(Files.readAllBytes(root.resolve("base/1/1259"))).isEqualTo(relation);
            assertThat(Files.readAllBytes(root.resolve("base/1/16384"))).isEqualTo(large);
            assertThat(Files.size(root.resolve("base/1/empty"))).isZero();
            assertThat(Files.readAllBytes(root.resolve("implicit/parent/file"))).containsExactly(42);
            assertThat(Files.readAllBytes(root.resolve("ro/inside"))).containsExactly(1, 2, 3);
            assertThat(mode(root.resolve("base/1/16384"))).isEqualTo("rw-r-----");
            assertThat(mode(root.resolve("base/1/1259"))).isEqualTo("rw-------");
            assertThat(mode(root.resolve("base/1"))).isEqualTo("rwxr-x---");
            assertThat(mode(root.resolve("ro"))).isEqualTo("r-x------");
            assertThat(mode(root.resolve("implicit"))).isEqualTo("rwx------");
            assertThat(Files.readSymbolicLink(root.resolve("pg_tblspc_link"))).isEqualTo(Path.of("/nonexistent/tablespace"));
            assertThat(Files.getLastModifiedTime(root.resolve("base/1/16384")).toMillis()).isEqualTo(MTIME * 1000);
            assertThat(Files.getLastModifiedTime(root.resolve("base")).toMillis()).isEqualTo(MTIME * 1000);
            Files.setPosixFilePermissions(root.resolve("ro"), PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void acceptsPiecesSplittingHeadersAnywhere() throws IOException {
        for (int writers : new int[] {0, 2}) {
            Path root = tmp.resolve("data-" + writers);
            Files.createDirectory(root);
            byte[] content = random(1500, 5);
            byte[] tar = new TarBuilder().dir("base/", 0700).file("base/a", 0600, content).file("base/b", 0600, new byte[] {9}).end();
            extract(root, tar, 1, writers);
            assertThat(Files.readAllBytes(root.resolve("base/a"))).isEqualTo(content);
            assertThat(Files.readAllBytes(root.resolve("base/b"))).containsExactly(9);
        }
    }

    @Test
    void flushesLargeFilesInTheBackground() throws IOException {
        byte[] huge = random((int) BaseTarExtractor.EARLY_FLUSH + 4096, 6);
        for (int writers : new int[] {0, 2}) {
            Path root = tmp.resolve("data-" + writers);
            Files.createDirectory(root);
            byte[] tar = new TarBuilder().file("big", 0600, huge).file("small", 0600, new byte[] {1}).end();
            extract(root, tar, 1 << 20, writers);
            assertThat(Files.readAllBytes(root.resolve("big"))).isEqualTo(huge);
            assertThat(Files.getLastModifiedTime(root.resolve("big")).toMillis()).isEqualTo(MTIME * 1000);
        }
    }

    @Test
    void givesEveryEntryToTheOwner() throws IOException {
        Path root = root();
        var lookup = root.getFileSystem().getUserPrincipalLookupService();
        var owner = Files.getOwner(root);
        var group = Files.readAttributes(root, java.nio.file.attribute.PosixFileAttributes.class).group();
        byte[] tar = new TarBuilder().dir("base/", 0700).file("base/f", 0600, new byte[] {1}).link("l", "base").end();
        try (BaseTarExtractor x = new BaseTarExtractor(root, lookup.lookupPrincipalByName(owner.getName()), group, 2)) {
            x.feed(tar, 0, tar.length);
            x.finish();
            assertThat(x.files()).isEqualTo(1);
            assertThat(x.bytes()).isEqualTo(1);
        }
        assertThat(Files.getOwner(root.resolve("base/f"))).isEqualTo(owner);
        assertThat(Files.getOwner(root.resolve("l"), LinkOption.NOFOLLOW_LINKS)).isEqualTo(owner);
    }

    @Test
    void ignoresWhatFollowsTheEndOfArchiveLikeTar() throws IOException {
        Path root = root();
        byte[] tar = new TarBuilder().file("a", 0600, new byte[] {1}).end();
        byte[] more = Arrays.copyOf(tar, tar.length + 4096);
        more[more.length - 1] = 7;
        extract(root, more, 1000, 2);
        assertThat(Files.readAllBytes(root.resolve("a"))).containsExactly(1);
    }

    @Test
    void refusesEveryTruncation() throws IOException {
        byte[] tar = new TarBuilder().dir("base/", 0700).file("base/a", 0600, random(1000, 3))
            .file("base/b", 0600, random((int) BaseTarExtractor.SMALL + 10, 4)).end();
        int endMarker = tar.length - 1024;
        for (int cut : new int[] {0, 100, 512, 600, 1024, 1536, 2047, 2048, 2560, 3000, endMarker - 1, endMarker, endMarker + 511}) {
            Path root = tmp.resolve("cut-" + cut);
            Files.createDirectory(root);
            for (int writers : new int[] {0, 2}) {
                Path r = root.resolve("w" + writers);
                Files.createDirectory(r);
                assertThatThrownBy(() -> extract(r, Arrays.copyOf(tar, cut), 4096, writers))
                    .as("cut at %d", cut).isInstanceOf(EngineException.class).hasMessageContaining("truncated");
            }
        }
        Path whole = root();
        extract(whole, Arrays.copyOf(tar, endMarker + 512), 4096, 2);
        assertThat(Files.size(whole.resolve("base/b"))).isEqualTo(BaseTarExtractor.SMALL + 10);
    }

    @Test
    void refusesABadChecksumOrAnotherFormat() throws IOException {
        byte[] tar = new TarBuilder().file("a", 0600, new byte[] {1}).end();
        byte[] flipped = tar.clone();
        flipped[3] ^= 0x01;
        assertThatThrownBy(() -> extract(root(), flipped, 512, 0)).hasMessageContaining("checksum");
        byte[] noChecksum = tar.clone();
        Arrays.fill(noChecksum, 148, 156, (byte) 'x');
        assertThatThrownBy(() -> extract(tmp.resolve("x"), noChecksum, 512, 0)).hasMessageContaining("checksum");
        byte[] v7 = header("a", 1, '0', 0600, null);
        Arrays.fill(v7, 257, 265, (byte) 0);
        BaseTarScannerTest.checksum(v7);
        Path r = tmp.resolve("v7");
        Files.createDirectory(r);
        assertThatThrownBy(() -> extract(r, new TarBuilder().raw(v7).content(new byte[] {1}).end(), 512, 0))
            .hasMessageContaining("ustar");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil", "base/../../evil", "/etc/evil", "./../evil", "a/b/../../../evil", ".."})
    void refusesNamesThatLeaveTheDirectory(String name) throws IOException {
        Path root = root();
        byte[] tar = new TarBuilder().dir("base/", 0700).file(name, 0600, new byte[] {1}).end();
        assertThatThrownBy(() -> extract(root, tar, 512, 2)).isInstanceOf(EngineException.class)
            .hasMessageContaining(name);
        assertThat(Files.exists(tmp.resolve("evil"))).isFalse();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s).containsExactly(root);
        }
    }

    @Test
    void neverWritesBeneathALink() throws IOException {
        Path outside = tmp.resolve("outside");
        Files.createDirectory(outside);
        byte[] viaFile = new TarBuilder().link("l", outside.toString()).file("l/evil", 0600, new byte[] {1}).end();
        byte[] viaDir = new TarBuilder().link("l", outside.toString()).dir("l/sub/", 0700).end();
        byte[] viaLink = new TarBuilder().link("l", outside.toString()).link("l/evil", "/etc/passwd").end();
        byte[] deeper = new TarBuilder().dir("d/", 0700).link("d/l", outside.toString()).file("d/l/x/evil", 0600, new byte[] {1}).end();
        int k = 0;
        for (byte[] tar : new byte[][] {viaFile, viaDir, viaLink, deeper}) {
            Path root = tmp.resolve("data" + k++);
            Files.createDirectory(root);
            assertThatThrownBy(() -> extract(root, tar, 512, 2)).isInstanceOf(EngineException.class)
                .hasMessageContaining("not a directory");
        }
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void refusesDuplicatesAndWhatAlreadyExists() throws IOException {
        byte[] twice = new TarBuilder().file("a", 0600, new byte[] {1}).file("a", 0600, new byte[] {2}).end();
        assertThatThrownBy(() -> extract(root(), twice, 512, 2)).hasMessageContaining("appears twice");
        byte[] fileThenDir = new TarBuilder().file("a", 0600, new byte[] {1}).dir("a/", 0700).end();
        Path r1 = tmp.resolve("r1");
        Files.createDirectory(r1);
        assertThatThrownBy(() -> extract(r1, fileThenDir, 512, 2)).hasMessageContaining("appears twice");
        // A file already there (the directory was not empty) fails on a writer thread and is reported.
        for (int writers : new int[] {0, 2}) {
            Path r2 = tmp.resolve("r2-" + writers);
            Files.createDirectory(r2);
            Files.writeString(r2.resolve("PG_VERSION"), "99\n");
            byte[] tar = new TarBuilder().file("PG_VERSION", 0600, "15\n".getBytes(StandardCharsets.US_ASCII)).end();
            assertThatThrownBy(() -> extract(r2, tar, 512, writers)).hasMessageContaining("already exists");
            assertThat(Files.readString(r2.resolve("PG_VERSION"))).isEqualTo("99\n");
        }
    }

    @Test
    void refusesOversizedAndInvalidSizes() throws IOException {
        byte[] tooLarge = header("a", 0, '0', 0600, null);
        Arrays.fill(tooLarge, 124, 136, (byte) 0);
        tooLarge[124] = (byte) 0x80;
        tooLarge[129] = 0x01; // base-256: 2^48 bytes
        BaseTarScannerTest.checksum(tooLarge);
        byte[] negative = header("a", 0, '0', 0600, null);
        Arrays.fill(negative, 124, 136, (byte) 0xFF);
        BaseTarScannerTest.checksum(negative);
        byte[] notOctal = header("a", 0, '0', 0600, null);
        BaseTarScannerTest.put(notOctal, 124, "0000000009x");
        BaseTarScannerTest.checksum(notOctal);
        int k = 0;
        for (byte[] h : new byte[][] {tooLarge, negative, notOctal}) {
            Path root = tmp.resolve("s" + k++);
            Files.createDirectory(root);
            assertThatThrownBy(() -> extract(root, new TarBuilder().raw(h).end(), 512, 2)).hasMessageContaining("size");
            try (Stream<Path> s = Files.list(root)) {
                assertThat(s).isEmpty();
            }
        }
        // A size far beyond the stream: truncated, not a hang or an allocation.
        Path root = tmp.resolve("big");
        Files.createDirectory(root);
        byte[] big = header("a", 0, '0', 0600, null);
        BaseTarScannerTest.put(big, 124, String.format("%011o", 1L << 33));
        BaseTarScannerTest.checksum(big);
        assertThatThrownBy(() -> extract(root, new TarBuilder().raw(big).end(), 512, 2)).hasMessageContaining("truncated");
        Path dirRoot = tmp.resolve("dir");
        Files.createDirectory(dirRoot);
        assertThatThrownBy(() -> extract(dirRoot, new TarBuilder().raw(header("d/", 512, '5', 0700, null)).content(new byte[512]).end(), 512, 2))
            .hasMessageContaining("has content");
    }

    @ParameterizedTest
    @ValueSource(chars = {'1', '3', '4', '6', 'x', 'g', 'L', 'K', 'S', 'V', 'D'})
    void refusesEntryTypesABaseBackupNeverHolds(char type) throws IOException {
        Path root = root();
        byte[] tar = new TarBuilder().raw(header("odd", 0, type, 0600, "target")).end();
        assertThatThrownBy(() -> extract(root, tar, 512, 2)).isInstanceOf(EngineException.class).hasMessageContaining("entry type");
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void refusesALinkWithoutTargetAndTheRootAsAFile() throws IOException {
        assertThatThrownBy(() -> extract(root(), new TarBuilder().link("l", "").end(), 512, 0)).hasMessageContaining("no target");
        Path r = tmp.resolve("r");
        Files.createDirectory(r);
        assertThatThrownBy(() -> extract(r, new TarBuilder().file("./", 0600, new byte[0]).end(), 512, 0))
            .hasMessageContaining("itself");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
