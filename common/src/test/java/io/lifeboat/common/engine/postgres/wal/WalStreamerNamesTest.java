package io.lifeboat.common.engine.postgres.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WalStreamerNamesTest {
    private static final long SEG = 16L * 1024 * 1024;

    @Test
    void lsnRoundTrips() {
        assertThat(Lsn.parse("0/16B3748").value()).isEqualTo(0x16B3748L);
        assertThat(Lsn.parse("16/B374D848").value()).isEqualTo(0x16_B374D848L);
        assertThat(new Lsn(0x16_B374D848L).toString()).isEqualTo("16/B374D848");
        assertThat(new Lsn(0).toString()).isEqualTo("0/0");
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF").value()).isEqualTo(-1L);
        Random r = new Random(7);
        for (int i = 0; i < 1000; i++) {
            long l = r.nextLong();
            assertThat(Lsn.parse(new Lsn(l).toString()).value()).isEqualTo(l);
        }
    }

    @Test
    void malformedLsnsAreRefused() {
        for (String bad : new String[] {"", "/", "0/", "/0", "0", "g/0", "0/-1", "123456789/0", "0/123456789",
                "0//1", " 0/1", "0/1 "}) {
            assertThatThrownBy(() -> Lsn.parse(bad).value()).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Lsn.parse(null).value()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void spoolFileNamesAreRecognized() {
        WalSpoolFile seg = WalSpoolFile.parse("000000010000000A0000003F").orElseThrow();
        assertThat(seg.kind()).isEqualTo(WalSpoolFile.Kind.SEGMENT);
        assertThat(seg.timeline()).isEqualTo(1);
        assertThat(seg.startLsn(SEG)).isEqualTo(0xA_3F000000L);
        WalSpoolFile partial = WalSpoolFile.parse("000000020000000000000005.partial").orElseThrow();
        assertThat(partial.kind()).isEqualTo(WalSpoolFile.Kind.PARTIAL);
        assertThat(partial.segmentName()).isEqualTo("000000020000000000000005");
        assertThat(partial.timeline()).isEqualTo(2);
        WalSpoolFile history = WalSpoolFile.parse("00000002.history").orElseThrow();
        assertThat(history.kind()).isEqualTo(WalSpoolFile.Kind.HISTORY);
        assertThat(history.timeline()).isEqualTo(2);
        assertThat(WalSpoolFile.segmentNameFor(1, 0xA_3F000123L, SEG)).isEqualTo("000000010000000A0000003F");
        assertThat(WalSpoolFile.segmentNameFor(3, 0x16B3748L, SEG)).isEqualTo("000000030000000000000001");
    }

    @Test
    void otherNamesAreNotSpoolFiles() {
        for (String bad : new String[] {"", "00000001000000000000000", "0000000100000000000000001",
                "000000010000000000000001.gz", "000000010000000000000001.partial.tmp", "00000000000000000000001",
                "000000000000000000000001", "00000000.history", "0000001.history", "000000010000000g00000001",
                "000000010000000a00000001", ".partial", "xlogtemp.123", "00000001.history.tmp"}) {
            assertThat(WalSpoolFile.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void spoolFilesSortInStreamingOrder() {
        List<String> names = List.of("00000001.history", "000000010000000000000003", "000000010000000000000004.partial",
            "00000002.history", "000000020000000000000004", "000000020000000100000000.partial");
        Random r = new Random(11);
        for (int i = 0; i < 20; i++) {
            List<String> shuffled = new ArrayList<>(names);
            Collections.shuffle(shuffled, r);
            assertThat(shuffled.stream().map(n -> WalSpoolFile.parse(n).orElseThrow()).sorted()
                .map(WalSpoolFile::name).toList()).isEqualTo(names);
        }
    }

    @Test
    void validBytesOfAPartialSegmentEndAfterItsLastNonZeroByte() {
        byte[] data = new byte[64 * 1024];
        assertThat(PartialSegments.validBytes(data, data.length)).isZero();
        data[0] = 1;
        assertThat(PartialSegments.validBytes(data, data.length)).isEqualTo(8);
        data[8191] = 7;
        assertThat(PartialSegments.validBytes(data, data.length)).isEqualTo(8192);
        data[8193] = 7;
        assertThat(PartialSegments.validBytes(data, data.length)).isEqualTo(8200);
        data[data.length - 1] = 1;
        assertThat(PartialSegments.validBytes(data, data.length)).isEqualTo(data.length);
        assertThat(PartialSegments.validBytes(data, 8195)).isEqualTo(8195);
        assertThat(PartialSegments.validBytes(new byte[0], 0)).isZero();
        assertThatThrownBy(() -> PartialSegments.validBytes(new byte[4], 5)).isInstanceOf(IllegalArgumentException.class);
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            byte[] d = new byte[r.nextInt(4096) + 1];
            int last = r.nextInt(d.length);
            d[last] = (byte) (r.nextInt(255) + 1);
            int expected = Math.min((last + 1 + 7) / 8 * 8, d.length);
            assertThat(PartialSegments.validBytes(d, d.length)).isEqualTo(expected);
        }
    }

    @Test
    void synchronousStandbyNamesAreRead() {
        assertThat(SyncStandbyNames.names("lifeboat_wal", "lifeboat_wal")).isTrue();
        assertThat(SyncStandbyNames.names("FIRST 1 (lifeboat_wal, replica1)", "lifeboat_wal")).isTrue();
        assertThat(SyncStandbyNames.names("ANY 1 (replica1, \"Lifeboat_Wal\")", "lifeboat_wal")).isTrue();
        assertThat(SyncStandbyNames.names("2 (a, b)", "lifeboat_wal")).isFalse();
        assertThat(SyncStandbyNames.names("*", "lifeboat_wal")).isTrue();
        assertThat(SyncStandbyNames.names("", "lifeboat_wal")).isFalse();
        assertThat(SyncStandbyNames.names(null, "lifeboat_wal")).isFalse();
        assertThat(SyncStandbyNames.names("FIRST 1 (lifeboat_wal", "lifeboat_wal")).isTrue();
        assertThat(SyncStandbyNames.list("ANY 2 (a, \"B,\"\"c\", d)")).containsExactly("a", "B,\"c", "d");
    }

    @Test
    void optionsCheckNamesAndTheUploadInterval() {
        WalStreamerOptions o = WalStreamerOptions.defaults("Prod-DB.1", java.nio.file.Path.of("/tmp/x"));
        assertThat(o.slot()).isEqualTo("lifeboat_prod_db_1");
        assertThat(o.applicationName()).isEqualTo("lifeboat_wal");
        assertThatThrownBy(() -> o.withSlot("Bad-Slot")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> o.withApplicationName("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> o.withIntervals(null, java.time.Duration.ofSeconds(6), null))
            .isInstanceOf(IllegalArgumentException.class);
        WalStreamer s = new WalStreamer(new io.lifeboat.common.engine.postgres.PgConnection("h", 1, "u", "d", "secret"),
            o.withSynchronous(true), new MemoryWalSink(), null);
        assertThat(s.receiverCommand()).contains("--synchronous", "--slot=lifeboat_prod_db_1", "--no-loop")
            .noneMatch(a -> a.contains("secret"));
    }
}
