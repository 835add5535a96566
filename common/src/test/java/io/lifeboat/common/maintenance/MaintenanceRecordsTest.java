package io.lifeboat.common.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.pack.PackId;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.MaintenanceRecords;
import io.lifeboat.common.repository.MaintenanceRecords.BackupSession;
import io.lifeboat.common.repository.MaintenanceRecords.LeaseClaim;
import io.lifeboat.common.repository.MaintenanceRecords.PruneCandidate;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.RepositoryLayout;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Round trips and malformed input of prune candidates, lease claims and backup-session markers. */
class MaintenanceRecordsTest {
    private static final Instant T = Instant.parse("2026-05-01T00:00:00Z");
    private static final PackId PACK = PackId.parse("ab".repeat(32));
    private static final String CANDIDATE_KEY = RepositoryLayout.pruneCandidate(PACK);
    private static final String CLAIM_KEY = RepositoryLayout.maintenanceClaim(3, "00ff");

    private final MaintenanceFixture f = new MaintenanceFixture(16 * 1024);
    private final PackRepository repo = f.open();
    private final MaintenanceRecords records = repo.maintenanceRecords();

    @AfterEach
    void close() {
        repo.close();
    }

    @Test
    void roundTrips() {
        PruneCandidate c = new PruneCandidate(PACK, 123, T, "unused", 7);
        assertThat(records.decodeCandidate(records.encode(c), CANDIDATE_KEY)).isEqualTo(c);
        LeaseClaim l = new LeaseClaim("a@h", 3, T, T.plusSeconds(60), false);
        assertThat(records.decodeClaim(records.encode(l), CLAIM_KEY)).isEqualTo(l);
        BackupSession s = new BackupSession("a@h", T, T.plusSeconds(5));
        assertThat(records.decodeSession(records.encode(s), "locks/backup-00")).isEqualTo(s);
        assertThat(RepositoryLayout.packIdOfCandidate(CANDIDATE_KEY)).isEqualTo(PACK);
        assertThat(RepositoryLayout.packIdOfCandidate("prune/xyz")).isNull();
        assertThat(RepositoryLayout.packIdOfCandidate("prune/" + "AB".repeat(32))).isNull();
    }

    @Test
    void truncatedFlippedOrForeignBytesAreCorrupt() {
        byte[] good = records.encode(new PruneCandidate(PACK, 123, T, "unused", 7));
        Consumer<byte[]> rejected = bytes -> assertThatThrownBy(() -> records.decodeCandidate(bytes, CANDIDATE_KEY))
            .isInstanceOf(CorruptObjectException.class).hasMessageStartingWith(CANDIDATE_KEY + " is corrupt");
        for (int len = 0; len < good.length; len += 7) {
            rejected.accept(Arrays.copyOf(good, len));
        }
        for (int i = 0; i < good.length; i += 5) {
            byte[] flipped = good.clone();
            flipped[i] ^= 0x10;
            if (i == 4 || i == 5) {
                continue; // version and cipher id: an unknown one is "unsupported", tested with the envelope
            }
            rejected.accept(flipped);
        }
        rejected.accept(records.encode(new LeaseClaim("a", 3, T, T, false)));
    }

    @Test
    void aRecordUnderAnotherNameIsCorrupt() {
        byte[] good = records.encode(new PruneCandidate(PACK, 123, T, "unused", 7));
        String other = RepositoryLayout.pruneCandidate(PackId.parse("cd".repeat(32)));
        assertThatThrownBy(() -> records.decodeCandidate(good, other)).isInstanceOf(CorruptObjectException.class)
            .hasMessage(other + " is corrupt: names another pack");
        byte[] claim = records.encode(new LeaseClaim("a", 3, T, T, false));
        String wrongToken = RepositoryLayout.maintenanceClaim(4, "00ff");
        assertThatThrownBy(() -> records.decodeClaim(claim, wrongToken)).isInstanceOf(CorruptObjectException.class);
    }
}
