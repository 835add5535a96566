package io.lifeboat.common.engine.postgres.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalRetentionTest {
    private static final long SEG = 16L * 1024 * 1024;
    private static final List<String> ARCHIVE = List.of("00000001.history", "000000010000000000000001",
        "000000010000000000000002", "000000010000000000000003", "000000010000000000000004",
        "000000010000000000000005", "00000002.history", "000000020000000000000005", "000000020000000000000006");

    private static BaseBackupRef backup(String id, long startSeg, long offset) {
        long start = startSeg * SEG + offset;
        return new BaseBackupRef(id, 1, start, start + 4096, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(startSeg));
    }

    @Test
    void walBeforeTheOldestKeptBaseBackupExpires() {
        WalRetention.Plan plan = WalRetention.plan(List.of(backup("b", 4, 0x28), backup("c", 5, 0)), ARCHIVE, SEG);
        assertThat(plan.expire()).containsExactly("000000010000000000000001", "000000010000000000000002",
            "000000010000000000000003");
        assertThat(plan.keep()).contains("00000001.history", "00000002.history", "000000010000000000000004",
            "000000020000000000000005");
        assertThat(plan.earliestRecoverable()).map(BaseBackupRef::snapshotId).hasValue("b");
    }

    @Test
    void expiringABaseBackupExpiresTheWalOnlyItNeeded() {
        BaseBackupRef a = backup("a", 2, 100);
        BaseBackupRef b = backup("b", 4, 100);
        WalRetention.Plan both = WalRetention.plan(List.of(a, b), ARCHIVE, SEG);
        assertThat(both.expire()).containsExactly("000000010000000000000001");
        assertThat(both.earliestRecoverable()).hasValue(a);
        WalRetention.Plan onlyB = WalRetention.plan(List.of(b), ARCHIVE, SEG);
        assertThat(onlyB.expire()).containsExactly("000000010000000000000001", "000000010000000000000002",
            "000000010000000000000003");
        assertThat(onlyB.earliestRecoverable()).hasValue(b);
    }

    @Test
    void withoutABaseBackupNothingExpires() {
        WalRetention.Plan plan = WalRetention.plan(List.of(), ARCHIVE, SEG);
        assertThat(plan.expire()).isEmpty();
        assertThat(plan.keep()).isEqualTo(ARCHIVE);
        assertThat(plan.earliestRecoverable()).isEmpty();
    }

    @Test
    void unknownNamesAndPartialSegmentsAreHandled() {
        List<String> names = List.of("000000010000000000000001.partial", "000000010000000000000001", "status.json",
            "000000010000000000000007.partial");
        WalRetention.Plan plan = WalRetention.plan(List.of(backup("x", 3, 0)), names, SEG);
        assertThat(plan.expire()).containsExactly("000000010000000000000001.partial", "000000010000000000000001");
        assertThat(plan.keep()).containsExactly("status.json", "000000010000000000000007.partial");
    }

    @Test
    void aBackupThatStopsBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> new BaseBackupRef("x", 1, 100, 99, Instant.EPOCH))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
