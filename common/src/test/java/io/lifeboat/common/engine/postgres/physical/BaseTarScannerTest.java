package io.lifeboat.common.engine.postgres.physical;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.engine.postgres.wal.Lsn;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaseTarScannerTest {
    static final String LABEL = "START WAL LOCATION: 0/5000028 (file 000000010000000000000005)\nCHECKPOINT LOCATION: 0/5000060\n"
        + "BACKUP METHOD: streamed\nSTART TIMELINE: 3\n";
    static final String MANIFEST = "{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n\"Files\": [\n],\n\"WAL-Ranges\": [\n"
        + "{ \"Timeline\": 3, \"Start-LSN\": \"0/5000028\", \"End-LSN\": \"0/5000100\" }\n],\n\"Manifest-Checksum\": \"00\"}\n";

    static byte[] header(String name, long size, char type) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, n.length);
        put(h, 100, String.format("%07o", 0600));
        put(h, 108, String.format("%07o", 0));
        put(h, 116, String.format("%07o", 0));
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 0));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        checksum(h);
        return h;
    }

    /** Sets the header's checksum field (ustar: sum of the header bytes with the field itself as spaces). */
    static void checksum(byte[] h) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
    }

    static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    static void member(ByteArrayOutputStream out, String name, byte[] content) {
        out.writeBytes(header(name, content.length, '0'));
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }

    static byte[] tar(boolean withManifest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header("global/", 0, '5'));
        member(out, "backup_label", LABEL.getBytes(StandardCharsets.UTF_8));
        byte[] big = new byte[100_000];
        new Random(1).nextBytes(big);
        member(out, "base/1/1259", big);
        if (withManifest) {
            member(out, "backup_manifest", MANIFEST.getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    static BaseTarScanner scan(byte[] tar, int readSize) throws Exception {
        BaseTarScanner s = new BaseTarScanner(new ByteArrayInputStream(tar));
        byte[] buf = new byte[readSize];
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        int n;
        while ((n = s.read(buf, 0, buf.length)) > 0) {
            copy.write(buf, 0, n);
        }
        assertThat(copy.toByteArray()).isEqualTo(tar);
        return s;
    }

    @Test
    void findsStartTimelineAndStopWhateverTheReadSizes() throws Exception {
        for (int size : new int[] {1, 7, 511, 512, 4096, 65536}) {
            BaseTarScanner s = scan(tar(true), size);
            assertThat(s.startLsn()).hasValue(Lsn.parse("0/5000028"));
            assertThat(s.timeline()).hasValue(3);
            assertThat(s.stopLsn()).hasValue(Lsn.parse("0/5000100"));
            assertThat(s.stopTimeline()).hasValue(3);
        }
    }

    @Test
    void aStreamWithoutAManifestHasNoStop() throws Exception {
        BaseTarScanner s = scan(tar(false), 4096);
        assertThat(s.startLsn()).isPresent();
        assertThat(s.stopLsn()).isEmpty();
    }

    @Test
    void garbageTruncationAndFlippedBitsNeverFailTheReadAndYieldNothingWrong() throws Exception {
        Random rnd = new Random(7);
        byte[] good = tar(true);
        for (int i = 0; i < 200; i++) {
            byte[] bad = good.clone();
            int mode = i % 3;
            if (mode == 0) {
                bad = Arrays.copyOf(good, rnd.nextInt(good.length));
            } else if (mode == 1) {
                bad[rnd.nextInt(1024)] ^= (byte) (1 << rnd.nextInt(8));
            } else {
                rnd.nextBytes(bad);
            }
            BaseTarScanner s = scan(bad, 1 + rnd.nextInt(9000));
            s.startLsn().ifPresent(l -> assertThat(l).isEqualTo(Lsn.parse("0/5000028")));
            s.stopLsn().ifPresent(l -> assertThat(l).isEqualTo(Lsn.parse("0/5000100")));
        }
    }

    @Test
    void anOversizedOrNonOctalSizeStopsTheScan() throws Exception {
        byte[] h = header("backup_label", 10, '0');
        put(h, 124, "99999999999");
        checksum(h); // so only the size is wrong
        InputStream in = new ByteArrayInputStream(h);
        BaseTarScanner s = new BaseTarScanner(in);
        s.readAllBytes();
        assertThat(s.sawLabel()).isFalse();
        assertThat(s.startLsn()).isEmpty();
    }
}
