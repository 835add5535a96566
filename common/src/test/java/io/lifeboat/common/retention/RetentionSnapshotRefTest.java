package io.lifeboat.common.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotId;
import io.lifeboat.common.repository.SnapshotSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionSnapshotRefTest {

    @Test
    void aRepositorySnapshotCountsAtItsStartTime() {
        Instant started = Instant.parse("2026-12-31T22:50:00Z");
        Instant committed = Instant.parse("2026-12-31T23:20:00Z");
        SnapshotSpec spec = new SnapshotSpec("files", BlobId.of(new byte[32]), "db1", "root", List.of("/srv", "/etc"),
            List.of("audit"), null, started, Map.of(), Map.of());
        Snapshot snapshot = new Snapshot(new SnapshotId("cd".repeat(32)), spec, committed);

        SnapshotRef ref = SnapshotRef.of(snapshot);

        assertThat(ref.id()).isEqualTo("cd".repeat(32));
        assertThat(ref.shortId()).isEqualTo("cdcdcdcd");
        assertThat(ref.time()).isEqualTo(started);
        assertThat(ref.tags()).containsExactly("audit");
        assertThat(ref.hostname()).isEqualTo("db1");
        assertThat(ref.paths()).containsExactly("/srv", "/etc");
        assertThat(ref.sourceType()).isEqualTo("files");
    }
}
