package io.lifeboat.common.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.engine.postgres.PgCustomArchiveScannerTest.ArchiveBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DumpReadAheadTest {
    private static final String ROWS = "1\tplain\n2\ttab\\tand\\nnewline\n3\t\\N\n4\tback\\\\slash\n";

    @Test
    void passesBytesThroughUnchangedAndScansThem() throws IOException {
        byte[] archive = new ArchiveBuilder(14).table(10, "public", "t", "(id, body)", ROWS, new Random(7)).build();
        try (DumpReadAhead ahead = new DumpReadAhead(new ByteArrayInputStream(archive), 4)) {
            assertThat(readOddly(ahead.stream())).isEqualTo(archive);
            assertThat(ahead.result().table("public", "t").checksum()).isEqualTo(PgCustomArchiveScannerTest.hash(ROWS));
        }
    }

    @Test
    void handsOverManyBlocksAndLongTocStringsIntact() throws IOException {
        // More blocks than either queue holds (so the reader waits for both consumers), rows cut across
        // blocks, and a COPY statement longer than a block.
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 120_000; i++) {
            rows.append(i).append("\tsome text of row ").append(i * 7919L).append("\t\\N\n");
        }
        StringBuilder cols = new StringBuilder("(c0");
        for (int i = 1; cols.length() < DumpReadAhead.BLOCK + 70_000; i++) {
            cols.append(", c").append(i);
        }
        cols.append(')');
        String text = rows.toString();
        byte[] archive = new ArchiveBuilder(15).table(10, "public", "big", cols.toString(), text, new Random(11))
            .build();
        assertThat(archive.length).isGreaterThan(DumpReadAhead.BLOCK * (DumpReadAhead.SCAN_BLOCKS + 2));
        try (DumpReadAhead ahead = new DumpReadAhead(new TrickleInputStream(archive), 2)) {
            assertThat(readOddly(ahead.stream())).isEqualTo(archive);
            PgCustomArchiveScanner.TableData t = ahead.result().table("public", "big");
            assertThat(t.rows()).isEqualTo(120_000);
            assertThat(t.checksum()).isEqualTo(PgCustomArchiveScannerTest.hash(text));
            assertThat(t.copyColumns()).isEqualTo(cols.substring(1, cols.length() - 1));
        }
    }

    @Test
    void aFailedScanNeverDisturbsTheStream() throws IOException {
        byte[] junk = new byte[3_000_000];
        new Random(8).nextBytes(junk);
        try (DumpReadAhead ahead = new DumpReadAhead(new ByteArrayInputStream(junk), 1)) {
            assertThat(readOddly(ahead.stream())).isEqualTo(junk);
            assertThatThrownBy(ahead::result).isInstanceOf(PgCustomArchiveScanner.MalformedArchiveException.class)
                .hasMessageContaining("PGDMP");
        }
    }

    @Test
    void holdsAtMostItsBlocksWhileNobodyReadsAndCloseStopsTheWaitingReader() throws Exception {
        CountingInputStream endless = new CountingInputStream();
        DumpReadAhead ahead = new DumpReadAhead(endless, 3);
        long before = -1;
        for (int i = 0; i < 50 && endless.count.get() != before; i++) { // until the reader waits for a consumer
            before = endless.count.get();
            Thread.sleep(200);
        }
        // 3 queued + 1 over for the end marker's room + the scanner's blocks + the block being filled.
        assertThat(before).isLessThanOrEqualTo((long) DumpReadAhead.BLOCK * (3 + 1 + DumpReadAhead.SCAN_BLOCKS + 1 + 1));
        ahead.close();
        assertThatThrownBy(ahead::result).isInstanceOf(PgCustomArchiveScanner.MalformedArchiveException.class);
        assertThatThrownBy(() -> ahead.stream().read()).isInstanceOf(IOException.class);
        org.awaitility.Awaitility.await().atMost(10, java.util.concurrent.TimeUnit.SECONDS).until(() ->
            Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("lifeboat-pg-dump-read")
                || t.getName().equals("lifeboat-pg-archive-scan")));
    }

    @Test
    void aReadErrorComesAfterTheBytesReadBeforeIt() throws IOException {
        byte[] head = new byte[DumpReadAhead.BLOCK + 1000];
        new Random(9).nextBytes(head);
        InputStream failing = new InputStream() {
            private final InputStream data = new ByteArrayInputStream(head);

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = data.read(b, off, len);
                if (n < 0) {
                    throw new IOException("pipe broke");
                }
                return n;
            }
        };
        try (DumpReadAhead ahead = new DumpReadAhead(failing, 4)) {
            InputStream s = ahead.stream();
            assertThat(s.readNBytes(head.length)).isEqualTo(head);
            assertThatThrownBy(s::read).isInstanceOf(IOException.class).hasMessage("pipe broke");
            assertThatThrownBy(ahead::result).isInstanceOf(PgCustomArchiveScanner.MalformedArchiveException.class);
        }
    }

    private static byte[] readOddly(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[777];
        int first = in.read();
        out.write(first);
        int n;
        while ((n = in.read(buf, 0, buf.length)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Returns a few bytes per read, as a pipe does. */
    private static final class TrickleInputStream extends InputStream {
        private final ByteArrayInputStream data;
        private final Random rnd = new Random(3);

        TrickleInputStream(byte[] b) {
            data = new ByteArrayInputStream(b);
        }

        @Override
        public int read() {
            return data.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return data.read(b, off, Math.min(len, 1 + rnd.nextInt(70_000)));
        }
    }

    /** Zeros without end, counting what was read. */
    private static final class CountingInputStream extends InputStream {
        final AtomicLong count = new AtomicLong();

        @Override
        public int read() {
            count.incrementAndGet();
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 0);
            count.addAndGet(len);
            return len;
        }
    }
}
