package io.lifeboat.common.maintenance;

import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.store.ObjectStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a legal hold ({@code holds/<id>} objects) protects a snapshot. The evaluation of
 * holds belongs to {@code io.lifeboat.common.retention}; this hook lets forget refuse held
 * snapshots without depending on it.
 *
 * <p>Threading: implementations are safe for concurrent use. Idempotent; throws only store errors.
 */
@FunctionalInterface
public interface HoldChecker {

    /** The id of a hold that protects {@code snapshot} at {@code now}, or empty. */
    Optional<String> holdOn(Snapshot snapshot, Instant now);

    /** For repositories known to have no holds (tests). */
    static HoldChecker none() {
        return (s, now) -> Optional.empty();
    }

    /**
     * The safe default while no evaluator is wired in: if the store holds any {@code holds/}
     * object, every snapshot counts as held by it, so forget refuses rather than guess.
     */
    static HoldChecker refuseIfAnyHold(ObjectStore store) {
        return (s, now) -> {
            List<String> holds = new ArrayList<>();
            store.list(RepositoryLayout.HOLDS, i -> holds.add(i.key()));
            holds.sort(null);
            return holds.isEmpty() ? Optional.empty()
                : Optional.of(RepositoryLayout.nameOf(RepositoryLayout.HOLDS, holds.get(0)) + " (holds are not evaluated by this build)");
        };
    }
}
