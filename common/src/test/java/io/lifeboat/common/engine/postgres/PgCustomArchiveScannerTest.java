package io.lifeboat.common.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PgCustomArchiveScannerTest {
    private static final String ROWS = "1\tplain\n2\ttab\\tand\\nnewline\n3\t\\N\n4\tback\\\\slash\n";

    @Test
    void countsAndChecksumsEveryTableDataEntryWhereverChunksAreCut() throws IOException {
        Random rnd = new Random(42);
        for (int minor = 12; minor <= 16; minor++) {
            for (int round = 0; round < 20; round++) {
                byte[] archive = new ArchiveBuilder(minor).table(10, "public", "t", "(id, body)", ROWS, rnd)
                    .table(11, "my schema", "Odd \"name\"", "", "", rnd).blobs(12, rnd).build();
                PgCustomArchiveScanner.Result r = PgCustomArchiveScanner.scan(new ByteArrayInputStream(archive));

                assertThat(r.encoding()).isEqualTo("UTF8");
                PgCustomArchiveScanner.TableData t = r.table("public", "t");
                assertThat(t.rows()).isEqualTo(4);
                assertThat(t.checksum()).isEqualTo(hash(ROWS));
                assertThat(t.copyColumns()).isEqualTo("id, body");
                PgCustomArchiveScanner.TableData empty = r.table("my schema", "Odd \"name\"");
                assertThat(empty.rows()).isZero();
                assertThat(empty.checksum()).isEqualTo("0");
            }
        }
    }

    @Test
    void theColumnListIsFoundPastQuotedNamesHoldingParenthesesDotsAndQuotes() {
        assertThat(PgCustomArchiveScanner.copyColumns("COPY public.t (a, \"B c\") FROM stdin;\n")).isEqualTo("a, \"B c\"");
        assertThat(PgCustomArchiveScanner.copyColumns("COPY \"s (x\".\"t.\"\"y (\" (id) FROM stdin;\n")).isEqualTo("id");
        assertThat(PgCustomArchiveScanner.copyColumns("COPY public.empty  FROM stdin;\n")).isEmpty();
        assertThat(PgCustomArchiveScanner.copyColumns("COPY public.t (a) TO stdout;\n")).isNull();
        assertThat(PgCustomArchiveScanner.copyColumns("COPY \"unterminated (a) FROM stdin;\n")).isNull();
        assertThat(PgCustomArchiveScanner.copyColumns("INSERT INTO t VALUES (1);")).isNull();
    }

    @Test
    void theLineHashIsOrderIndependentAndStopsAtTheEndOfDataMarker() {
        assertThat(hash("a\nb\nc\n")).isEqualTo(hash("c\na\nb\n")).isNotEqualTo(hash("a\nb\nd\n"));
        String sha = PgCopyLineHasher.SHA256_ALGORITHM;
        assertThat(hash("a\nb\nc\n", sha)).isEqualTo(hash("c\na\nb\n", sha)).isNotEqualTo(hash("a\nb\nd\n", sha));
        assertThat(hash("a\nb\n\\.\nignored\n", sha)).isEqualTo(hash("a\nb\n", sha));
        assertThat(hash("a\nb\n\\.\nignored\n")).isEqualTo(hash("a\nb\n"));
        PgCopyLineHasher h = new PgCopyLineHasher();
        byte[] b = "x\n\\\n\\.x\n".getBytes(StandardCharsets.UTF_8);
        h.update(b, 0, b.length);
        assertThat(h.rows()).isEqualTo(3);
    }

    @Test
    void bothLineAlgorithmsGiveTheirReferenceValues() {
        // Sums computed independently (Python: libxxhash's XXH64, hashlib's SHA-256); the SHA-256 value is
        // what manifest version 2 backups hold, so it must never change.
        assertThat(hash(ROWS)).isEqualTo("18375830595874530672");
        assertThat(hash(ROWS, PgCopyLineHasher.SHA256_ALGORITHM)).isEqualTo("1076399901053687694");
        assertThat(PgCopyLineHasher.knows("copy-sum-xxh64")).isTrue();
        assertThat(PgCopyLineHasher.knows("copy-sum-sha256-64")).isTrue();
        assertThat(PgCopyLineHasher.knows("sum-md5-64")).isFalse();
        assertThatThrownBy(() -> new PgCopyLineHasher("sum-md5-64")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void linesCutAnywhereAndOfAnyLengthHashAsWholeLines() {
        Random rnd = new Random(3);
        for (String algorithm : new String[] {PgCopyLineHasher.ALGORITHM, PgCopyLineHasher.SHA256_ALGORITHM}) {
            for (int round = 0; round < 200; round++) {
                StringBuilder sb = new StringBuilder();
                int lines = rnd.nextInt(6);
                for (int i = 0; i < lines; i++) {
                    int len = rnd.nextInt(5) == 0 ? rnd.nextInt(300) : rnd.nextInt(20);
                    for (int j = 0; j < len; j++) {
                        sb.append((char) ('a' + rnd.nextInt(26)));
                    }
                    sb.append('\n');
                }
                byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                PgCopyLineHasher whole = new PgCopyLineHasher(algorithm);
                whole.update(b, 0, b.length);
                PgCopyLineHasher cut = new PgCopyLineHasher(algorithm);
                int off = 0;
                while (off < b.length) {
                    int n = Math.min(b.length - off, rnd.nextInt(50));
                    cut.update(b, off, n);
                    off += n;
                }
                assertThat(cut.rows()).isEqualTo(whole.rows()).isEqualTo(lines);
                assertThat(cut.checksum()).isEqualTo(whole.checksum()).isEqualTo(sumOfLines(sb.toString(), algorithm));
            }
        }
    }

    @Test
    void theNewlineSearchFindsTheFirstNewlineAtEveryPosition() {
        for (int len = 0; len < 40; len++) {
            for (int at = 0; at <= len; at++) {
                byte[] b = new byte[len + 3];
                Arrays.fill(b, (byte) 0x8A); // 0x0A with the high bit set, and a borrow source
                if (at < len) {
                    b[1 + at] = '\n';
                    if (at + 1 < len) {
                        b[2 + at] = '\n';
                    }
                }
                assertThat(PgCopyLineHasher.indexOfNewline(b, 1, 1 + len)).as("len %d at %d", len, at).isEqualTo(1 + at);
            }
        }
        byte[] zeros = new byte[17];
        zeros[9] = '\n';
        assertThat(PgCopyLineHasher.indexOfNewline(zeros, 0, 17)).isEqualTo(9);
        zeros[3] = 0x0B;
        zeros[2] = 0x09;
        assertThat(PgCopyLineHasher.indexOfNewline(zeros, 0, 17)).isEqualTo(9);
    }

    /** The checksum by its definition, line by line, one hash call each. */
    private static String sumOfLines(String text, String algorithm) {
        long sum = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            byte[] line = lines[i].getBytes(StandardCharsets.UTF_8);
            if (PgCopyLineHasher.ALGORITHM.equals(algorithm)) {
                sum += Xxh64.hash(line, 0, line.length);
            } else {
                try {
                    byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(line);
                    sum += java.nio.ByteBuffer.wrap(d).getLong();
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Long.toUnsignedString(sum);
    }

    @Test
    void wrongMagicUnsupportedVersionsFormatsAndCompressionAreRefused() {
        assertMalformed(new ArchiveBuilder(14).magic("PGDMQ").build(), "magic");
        for (int minor : new int[] {11, 17}) {
            assertMalformed(new ArchiveBuilder(minor).build(), "unsupported archive version");
        }
        assertMalformed(new ArchiveBuilder(14).major(2).build(), "unsupported archive version");
        assertMalformed(new ArchiveBuilder(14).format(3).build(), "not custom");
        assertMalformed(new ArchiveBuilder(14).compression(6).build(), "compressed");
        assertMalformed(new ArchiveBuilder(15).compression(1).build(), "compressed");
        assertMalformed(new ArchiveBuilder(14).intSize(9).build(), "integer sizes");
    }

    @Test
    void badLengthsAndUnknownBlockTypesAreRefused() {
        Random rnd = new Random(1);
        assertMalformed(new ArchiveBuilder(14).table(1, "public", "t", "(a)", ROWS, rnd).rawBlock(7, 1).build(),
            "unknown data block type 7");
        ArchiveBuilder negative = new ArchiveBuilder(14).table(1, "public", "t", "(a)", "", rnd);
        negative.rawBlock(1, 1).writeInt(-5);
        assertMalformed(negative.build(), "bad data chunk length");
        ArchiveBuilder huge = new ArchiveBuilder(14).table(1, "public", "t", "(a)", "", rnd);
        huge.rawBlock(1, 1).writeInt(Integer.MAX_VALUE);
        assertMalformed(huge.build(), "bad data chunk length");
        ArchiveBuilder copy = new ArchiveBuilder(14);
        copy.tocEntry(1, "t", "TABLE DATA", "", "INSERT INTO t VALUES (1);\n", "public");
        assertMalformed(copy.build(), "unexpected COPY statement");
    }

    @Test
    void everyTruncationFailsOrYieldsOnlyCompleteTables() throws IOException {
        byte[] archive = new ArchiveBuilder(15).table(10, "public", "t", "(id, body)", ROWS, new Random(3))
            .table(11, "public", "u", "(id)", "1\n2\n", new Random(4)).build();
        for (int n = 0; n < archive.length; n++) {
            try {
                PgCustomArchiveScanner.Result r = PgCustomArchiveScanner.scan(
                    new ByteArrayInputStream(Arrays.copyOf(archive, n)));
                // Cut exactly between blocks: the archive is well formed so far, holding fewer tables.
                assertThat(r.tables().size()).isLessThan(2);
                r.tables().values().forEach(t -> assertThat(t.rows()).isEqualTo(4));
            } catch (PgCustomArchiveScanner.MalformedArchiveException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void flippedBytesNeverThrowAnythingButMalformedArchive() {
        byte[] archive = new ArchiveBuilder(14).table(10, "public", "t", "(id, body)", ROWS, new Random(5)).build();
        Random rnd = new Random(6);
        for (int round = 0; round < 2000; round++) {
            byte[] bad = archive.clone();
            bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            try {
                PgCustomArchiveScanner.scan(new ByteArrayInputStream(bad));
            } catch (PgCustomArchiveScanner.MalformedArchiveException e) {
                assertThat(e.getMessage()).isNotBlank();
            } catch (IOException e) {
                throw new AssertionError("unexpected " + e, e);
            }
        }
    }

    @Test
    void blocksOfAnySizeScanAsTheWholeStreamDoes() throws IOException {
        Random rnd = new Random(5);
        byte[] archive = new ArchiveBuilder(16).table(10, "public", "t", "(id, body)", ROWS, rnd)
            .table(11, "public", "u", "(id)", "1\n2\n", rnd).blobs(12, rnd).build();
        PgCustomArchiveScanner.Result whole = PgCustomArchiveScanner.scan(new ByteArrayInputStream(archive));
        for (int round = 0; round < 200; round++) {
            List<byte[]> blocks = new ArrayList<>();
            for (int i = 0; i < archive.length; ) {
                int n = Math.min(archive.length - i, rnd.nextInt(round < 100 ? 3 : 200));
                blocks.add(Arrays.copyOfRange(archive, i, i + n)); // empty blocks too
                i += n;
            }
            var it = blocks.iterator();
            PgCustomArchiveScanner.Result r = PgCustomArchiveScanner.scan(() -> it.hasNext() ? it.next() : null);
            assertThat(r).isEqualTo(whole);
        }
        // Truncated in blocks as in a stream: malformed, never anything else.
        byte[] cut = Arrays.copyOf(archive, archive.length / 2);
        var once = List.of(cut).iterator();
        assertThatThrownBy(() -> PgCustomArchiveScanner.scan(() -> once.hasNext() ? once.next() : null))
            .isInstanceOf(PgCustomArchiveScanner.MalformedArchiveException.class);
    }

    private static void assertMalformed(byte[] archive, String message) {
        assertThatThrownBy(() -> PgCustomArchiveScanner.scan(new ByteArrayInputStream(archive)))
            .isInstanceOf(PgCustomArchiveScanner.MalformedArchiveException.class).hasMessageContaining(message);
    }

    static String hash(String lines) {
        return hash(lines, PgCopyLineHasher.ALGORITHM);
    }

    static String hash(String lines, String algorithm) {
        PgCopyLineHasher h = new PgCopyLineHasher(algorithm);
        byte[] b = lines.getBytes(StandardCharsets.UTF_8);
        h.update(b, 0, b.length);
        h.finish();
        return h.checksum();
    }

    /** Writes archives the way pg_dump -Fc -Z0 does to a pipe (intSize 4, offSize 8, offsets not set). */
    static final class ArchiveBuilder {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream toc = new ByteArrayOutputStream();
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private final int minor;
        private String magic = "PGDMP";
        private int major = 1;
        private int format = 1;
        private int compression;
        private int intSize = 4;
        private int entries;

        ArchiveBuilder(int minor) {
            this.minor = minor;
            tocEntry(1, "ENCODING", "ENCODING", "SET client_encoding = 'UTF8';\n", null, null);
        }

        ArchiveBuilder magic(String m) {
            magic = m;
            return this;
        }

        ArchiveBuilder major(int m) {
            major = m;
            return this;
        }

        ArchiveBuilder format(int f) {
            format = f;
            return this;
        }

        ArchiveBuilder compression(int c) {
            compression = c;
            return this;
        }

        ArchiveBuilder intSize(int s) {
            intSize = s;
            return this;
        }

        ArchiveBuilder table(int dumpId, String schema, String table, String columns, String rows, Random cuts) {
            String qualified = PgChecksums.quote(schema) + "." + PgChecksums.quote(table);
            tocEntry(dumpId, table, "TABLE DATA", "", "COPY " + qualified + (columns.isEmpty() ? " " : " " + columns)
                + " FROM stdin;\n", schema);
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            data.write(1);
            writeInt(data, dumpId);
            byte[] b = rows.getBytes(StandardCharsets.UTF_8);
            int pos = 0;
            while (pos < b.length) {
                int n = 1 + cuts.nextInt(Math.min(7, b.length - pos));
                writeInt(data, n);
                data.write(b, pos, n);
                pos += n;
            }
            writeInt(data, 0);
            return this;
        }

        ArchiveBuilder blobs(int dumpId, Random cuts) {
            data.write(3);
            writeInt(data, dumpId);
            writeInt(data, 16385);
            writeInt(data, 3);
            data.writeBytes(new byte[] {1, 2, 3});
            writeInt(data, 0);
            writeInt(data, 0);
            return this;
        }

        ArchiveBuilder rawBlock(int type, int dumpId) {
            data.write(type);
            writeInt(data, dumpId);
            return this;
        }

        void tocEntry(int dumpId, String tag, String desc, String defn, String copyStmt, String namespace) {
            entries++;
            writeInt(toc, dumpId);
            writeInt(toc, 1);
            writeStr(toc, "0");
            writeStr(toc, "0");
            writeStr(toc, tag);
            writeStr(toc, desc);
            writeInt(toc, 2);
            writeStr(toc, defn);
            writeStr(toc, "");
            writeStr(toc, copyStmt);
            writeStr(toc, namespace);
            writeStr(toc, "");
            if (minor >= 14) {
                writeStr(toc, "heap");
            }
            if (minor >= 16) {
                writeInt(toc, 'r');
            }
            writeStr(toc, "owner");
            writeStr(toc, "false");
            writeStr(toc, "3");
            writeStr(toc, null);
            toc.write(2); // K_OFFSET_POS_NOT_SET
            toc.writeBytes(new byte[8]);
        }

        void writeInt(int v) {
            writeInt(data, v);
        }

        private void writeInt(ByteArrayOutputStream o, int v) {
            o.write(v < 0 ? 1 : 0);
            long a = Math.abs((long) v);
            for (int i = 0; i < Math.min(intSize, 8); i++) {
                o.write((int) (a >>> (8 * i)) & 0xFF);
            }
        }

        private void writeStr(ByteArrayOutputStream o, String s) {
            if (s == null) {
                writeInt(o, -1);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeInt(o, b.length);
            o.writeBytes(b);
        }

        byte[] build() {
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            a.writeBytes(magic.getBytes(StandardCharsets.ISO_8859_1));
            a.write(major);
            a.write(minor);
            a.write(0);
            a.write(intSize);
            a.write(8);
            a.write(format);
            if (minor >= 15) {
                a.write(compression);
            } else {
                writeInt(a, compression);
            }
            for (int i = 0; i < 7; i++) {
                writeInt(a, 1);
            }
            writeStr(a, "db");
            writeStr(a, "15.20");
            writeStr(a, "15.20");
            writeInt(a, entries);
            a.writeBytes(toc.toByteArray());
            a.writeBytes(data.toByteArray());
            a.writeBytes(out.toByteArray());
            return a.toByteArray();
        }
    }
}
