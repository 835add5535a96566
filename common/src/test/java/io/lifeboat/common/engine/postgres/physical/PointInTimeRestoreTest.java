package io.lifeboat.common.engine.postgres.physical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.postgres.wal.Lsn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PointInTimeRestoreTest {
    private static final long SEG = 16L << 20;

    @TempDir
    Path tmp;

    @Test
    void targetsBecomePostgresSettings() {
        assertThat(new RecoveryTarget.Time(Instant.parse("2026-11-23T04:00:00.123456Z")).settings())
            .containsEntry("recovery_target_time", "2026-11-23 04:00:00.123456+00:00");
        assertThat(new RecoveryTarget.AtLsn(Lsn.parse("0/3000060")).settings()).containsEntry("recovery_target_lsn", "0/3000060");
        assertThat(new RecoveryTarget.Xid(745).settings()).containsEntry("recovery_target_xid", "745");
        assertThat(new RecoveryTarget.Name("it's").settings()).containsEntry("recovery_target_name", "it's");
        assertThat(new RecoveryTarget.Latest().settings()).isEmpty();
        assertThat(PointInTimeRestore.setting("restore_command", "lifeboat --repo 'a b' wal-fetch %f %p"))
            .isEqualTo("restore_command = 'lifeboat --repo ''a b'' wal-fetch %f %p'\n");
    }

    @Test
    void reachedNeedsPostgresOwnStopLine() {
        RecoveryTarget.Time t = new RecoveryTarget.Time(Instant.parse("2026-11-23T04:00:00Z"));
        String stop = "recovery stopping before commit of transaction 741, time 2026-11-23 04:00:00.5+00";
        assertThat(PointInTimeRestore.reached(t, stop, "0/3000100", "2026-11-23 03:59:59.9+00", null, SEG)).isTrue();
        assertThat(PointInTimeRestore.reached(t, stop, "0/3000100", "2026-11-23 04:00:01+00", null, SEG)).isFalse();
        assertThat(PointInTimeRestore.reached(t, null, "0/3000100", null, null, SEG)).isFalse();
        assertThat(PointInTimeRestore.reached(new RecoveryTarget.AtLsn(Lsn.parse("0/3000060")),
            "recovery stopping after WAL location (LSN) \"0/3000060\"", "0/3000060", null, null, SEG)).isTrue();
        assertThat(PointInTimeRestore.reached(new RecoveryTarget.AtLsn(Lsn.parse("0/3000060")),
            "recovery stopping after WAL location (LSN) \"0/3000061\"", "0/3000061", null, null, SEG)).isFalse();
        assertThat(PointInTimeRestore.reached(new RecoveryTarget.Name("x"), "recovery stopping at restore point \"x\", time ...",
            "0/1", null, null, SEG)).isTrue();
        assertThat(PointInTimeRestore.reached(new RecoveryTarget.Latest(), null, "0/5000100", null, "000000010000000000000005", SEG))
            .isTrue();
        assertThat(PointInTimeRestore.reached(new RecoveryTarget.Latest(), null, "0/4000100", null, "000000010000000000000005.partial",
            SEG)).isFalse();
    }

    @Test
    void logTimesParseWithAnyOffset() {
        assertThat(PointInTimeRestore.parseLogTime("2026-11-23 04:00:00.123456+00")).hasValue(Instant.parse("2026-11-23T04:00:00.123456Z"));
        assertThat(PointInTimeRestore.parseLogTime("2026-11-23 05:00:00+01")).hasValue(Instant.parse("2026-11-23T04:00:00Z"));
        assertThat(PointInTimeRestore.parseLogTime("2026-11-23 05:30:00+05:30")).hasValue(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(PointInTimeRestore.parseLogTime("yesterday")).isEmpty();
    }

    @Test
    void onlyANewOrEmptyDirectoryIsAccepted() throws Exception {
        PointInTimeRestore.prepareDirectory(tmp.resolve("new/data"));
        assertThat(Files.isDirectory(tmp.resolve("new/data"))).isTrue();
        PointInTimeRestore.prepareDirectory(tmp.resolve("new/data"));

        Path live = Files.createDirectories(tmp.resolve("live"));
        Files.writeString(live.resolve("PG_VERSION"), "15\n");
        assertThatThrownBy(() -> PointInTimeRestore.prepareDirectory(live)).isInstanceOf(EngineException.class)
            .hasMessageContaining("never touches an existing cluster");
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("notes"), "x");
        assertThatThrownBy(() -> PointInTimeRestore.prepareDirectory(other)).hasMessageContaining("not empty");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> PointInTimeRestore.prepareDirectory(file)).hasMessageContaining("not a directory");
    }

    @Test
    void baseBackupsWithTablespacesOrMinimalWalAreRefused() {
        assertThatThrownBy(() -> PostgresBaseBackupSource.check(new PostgresBaseBackupSource.ServerFacts(150000, "1", SEG, "replica",
            java.util.List.of("fast_ssd")))).hasMessageContaining("fast_ssd").hasMessageContaining("tablespaces");
        assertThatThrownBy(() -> PostgresBaseBackupSource.check(new PostgresBaseBackupSource.ServerFacts(150000, "1", SEG, "minimal",
            java.util.List.of()))).hasMessageContaining("wal_level");
        PostgresBaseBackupSource.check(new PostgresBaseBackupSource.ServerFacts(150000, "1", SEG, "replica", java.util.List.of()));
    }
}
