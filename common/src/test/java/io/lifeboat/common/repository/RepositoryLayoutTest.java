package io.lifeboat.common.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.pack.PackId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RepositoryLayoutTest {
    @Test
    void packKeysAreShardedByTheirFirstTwoHexDigitsAndParseBack() {
        PackId id = PackId.parse("ab" + "0".repeat(62));
        String key = RepositoryLayout.pack(id);
        assertThat(key).isEqualTo("data/ab/ab" + "0".repeat(62));
        assertThat(RepositoryLayout.packIdOf(key)).isEqualTo(id);
        assertThat(RepositoryLayout.packIdOf("data/cd/ab" + "0".repeat(62))).isNull();
        assertThat(RepositoryLayout.packIdOf("data/ab/xyz")).isNull();
        assertThat(RepositoryLayout.packIdOf("index/ab")).isNull();
    }

    @Test
    void journalKeysSortByUtcTime() {
        String key = RepositoryLayout.journal(Instant.parse("2026-03-04T05:06:07Z"), "0123456789abcdef");
        assertThat(key).isEqualTo("journal/20260304T050607Z-0123456789abcdef");
        assertThat(RepositoryLayout.journal(Instant.parse("2026-03-04T05:06:08Z"), "00")).isGreaterThan(key);
    }

    @Test
    void otherKeys() {
        assertThat(RepositoryLayout.snapshot(new SnapshotId("f".repeat(64)))).isEqualTo("snapshots/" + "f".repeat(64));
        assertThat(RepositoryLayout.keySlot("s")).isEqualTo("keys/s");
        assertThat(RepositoryLayout.index("i")).isEqualTo("index/i");
        assertThat(RepositoryLayout.keyring("k")).isEqualTo("keyring/k");
        assertThat(RepositoryLayout.walSegment("pg1", 1, "000000010000000000000001")).isEqualTo("wal/pg1/00000001/000000010000000000000001");
        assertThat(RepositoryLayout.walPartial("pg1", 2, "000000020000000000000001")).isEqualTo("wal/pg1/00000002/000000020000000000000001.partial");
        assertThat(RepositoryLayout.walHistory("pg1", 10)).isEqualTo("wal/pg1/history/0000000A.history");
        assertThat(RepositoryLayout.walStatus("pg1")).isEqualTo("wal/pg1/status");
        assertThatThrownBy(() -> RepositoryLayout.walCluster("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RepositoryLayout.walCluster("a/b")).isInstanceOf(IllegalArgumentException.class);
    }
}
