package io.lifeboat.common.maintenance;

import static io.lifeboat.common.maintenance.MaintenanceFixture.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotSpec;
import io.lifeboat.common.retention.Hold;
import io.lifeboat.common.retention.HoldCodec;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForgetTest {
    private final MaintenanceFixture f = new MaintenanceFixture(16 * 1024);
    private final Snapshot a = f.backup("/a", contents(2, 1000, 1));
    private final Snapshot b = f.backup("/b", contents(2, 1000, 2));

    @Test
    void forgetRemovesTheManifestJournalsItAndKeepsTheBlobs() {
        List<String> packs = f.packs();
        try (PackRepository repo = f.open()) {
            Maintenance.ForgetResult result = Maintenance.forget(repo, List.of(a.id().hex().substring(0, 8)), "carol@host");
            assertThat(result.forgotten()).extracting(Snapshot::id).containsExactly(a.id());
            assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(b.id());
            var entry = repo.journal().stream().map(PackRepository.JournalRecord::entry).filter(e -> e.action().equals("forget"))
                .findFirst().orElseThrow();
            assertThat(entry.actor()).isEqualTo("carol@host");
            assertThat(entry.objects()).containsExactly(RepositoryLayout.snapshot(a.id()));
            assertThat(entry.time()).isEqualTo(f.clock.instant());
        }
        assertThat(f.packs()).isEqualTo(packs);
    }

    @Test
    void aHeldSnapshotIsNeverForgottenAndNothingElseIsEither() {
        HoldChecker holdOnB = (s, now) -> s.id().equals(b.id()) ? Optional.of("LEGAL-42") : Optional.empty();
        try (PackRepository repo = f.open()) {
            assertThatThrownBy(() -> Maintenance.forget(repo, List.of(a.id().hex(), b.id().hex()), "carol@host", holdOnB,
                RetentionLockPolicy.NONE))
                .isInstanceOf(RepositoryException.class)
                .hasMessage("snapshot " + b.id().hex() + " is under legal hold LEGAL-42; nothing was forgotten");
            assertThat(repo.snapshots()).hasSize(2);
        }
    }

    @Test
    void holdsStoredInTheRepositoryAreHonouredAndAnUnreadableOneProtectsEverything() {
        f.memory.put(RepositoryLayout.HOLDS + "LEGAL-7",
            HoldCodec.encode(Hold.onTag("LEGAL-7", "legal", "case 7", "dana", f.clock.instant().minusSeconds(60))));
        Snapshot tagged;
        try (PackRepository repo = f.open()) {
            BlobId root = MaintenanceFixture.saveTree(repo, "t", contents(1, 100, 9));
            tagged = repo.commitSnapshot(new SnapshotSpec("files", root, "h", "u", List.of("/t"), List.of("legal"), null,
                f.clock.instant(), Map.of(), Map.of()));
            assertThatThrownBy(() -> Maintenance.forget(repo, List.of(tagged.id().hex()), "carol@host"))
                .hasMessage("snapshot " + tagged.id().hex() + " is under legal hold LEGAL-7; nothing was forgotten");
            Maintenance.forget(repo, List.of(a.id().hex()), "carol@host");
            assertThat(repo.snapshots()).hasSize(2);
        }
        f.memory.put(RepositoryLayout.HOLDS + "BROKEN", "{not json".getBytes());
        try (PackRepository repo = f.open()) {
            assertThatThrownBy(() -> Maintenance.forget(repo, List.of(b.id().hex()), "carol@host"))
                .hasMessageContaining("under legal hold BROKEN (unreadable");
            assertThat(repo.snapshots()).hasSize(2);
        }
    }

    @Test
    void objectLockedManifestsAndUnknownIdsAreRefusedBeforeAnyDelete() {
        try (PackRepository repo = f.open()) {
            assertThatThrownBy(() -> Maintenance.forget(repo, List.of(a.id().hex()), "c", HoldChecker.none(), (key, now) -> false))
                .hasMessageContaining("object lock");
            assertThatThrownBy(() -> Maintenance.forget(repo, List.of(a.id().hex(), "abcdabcd"), "c", HoldChecker.none(),
                RetentionLockPolicy.NONE)).hasMessage("no snapshot abcdabcd");
            assertThat(repo.snapshots()).hasSize(2);
        }
    }
}
