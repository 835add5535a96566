package io.lifeboat.common.engine.postgres.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WalNamesTest {
    private static final long SEG = WalNames.DEFAULT_SEGMENT_SIZE;

    @Test
    void lsnParsesAndPrintsLikePostgres() {
        assertThat(Lsn.parse("0/3000028").value()).isEqualTo(0x3000028L);
        assertThat(Lsn.parse("1A/ff").toString()).isEqualTo("1A/FF");
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF").compareTo(Lsn.parse("0/1"))).isPositive();
        for (String bad : new String[] {"", "/", "0/", "/1", "123456789/0", "0/123456789", "g/1", "0x1/2", "1-2"}) {
            assertThatThrownBy(() -> Lsn.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Lsn.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void segmentNamesAndNumbers() {
        assertThat(WalNames.segmentName(1, Lsn.parse("0/3000028"), SEG)).isEqualTo("000000010000000000000003");
        assertThat(WalNames.segmentName(2, Lsn.parse("1/0"), SEG)).isEqualTo("000000020000000100000000");
        assertThat(WalNames.segmentNumber("000000010000000100000002", SEG)).isEqualTo(258);
        assertThat(WalNames.segmentName(1, 258, SEG)).isEqualTo("000000010000000100000002");
        assertThatThrownBy(() -> WalNames.segmentNumber("000000010000000000000100", SEG)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WalNames.checkSegmentSize(3 << 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WalNames.checkSegmentSize(1 << 19)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kindsOfFileNames() {
        assertThat(WalNames.kindOf("000000010000000000000003")).isEqualTo(WalNames.Kind.SEGMENT);
        assertThat(WalNames.kindOf("000000010000000000000003.partial")).isEqualTo(WalNames.Kind.PARTIAL);
        assertThat(WalNames.kindOf("00000002.history")).isEqualTo(WalNames.Kind.HISTORY);
        assertThat(WalNames.kindOf("000000010000000000000002.00000028.backup")).isEqualTo(WalNames.Kind.BACKUP_LABEL);
        for (String bad : new String[] {"00000001000000000000000a", "RECOVERYXLOG", "../00000002.history", "0000000100000000000000031",
            "00000002.history.x", ""}) {
            assertThat(WalNames.kindOf(bad)).as(bad).isNull();
        }
        assertThat(WalNames.kindOf(null)).isNull();
        assertThatThrownBy(() -> WalNames.timelineOf("000000000000000000000003")).hasMessageContaining("timeline 0");
    }

    @Test
    void historyFilesParseAndMalformedOnesAreRejected() {
        TimelineHistory h = TimelineHistory.parse(3, ("1\t0/5000000\tno recovery target specified\n\n"
            + "2\t0/7000A0\tbefore 2026-11-23 04:00:00+00\n").getBytes(StandardCharsets.UTF_8));
        assertThat(h.entries()).hasSize(2);
        assertThat(h.parent().parent()).isEqualTo(2);
        assertThat(h.parent().switchPoint()).isEqualTo(Lsn.parse("0/7000A0"));
        assertThat(TimelineHistory.parse(2, "# comment\n".getBytes(StandardCharsets.UTF_8)).parent()).isNull();
        for (String bad : new String[] {"x\t0/1\tr", "1", "1\tnot-an-lsn\tr", "3\t0/1\tr", "2\t0/1\tr\n1\t0/2\tr", "0\t0/1\tr",
            "99999999999\t0/1\tr"}) {
            assertThatThrownBy(() -> TimelineHistory.parse(3, bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
