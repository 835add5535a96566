package io.lifeboat.common.maintenance;

import io.lifeboat.common.retention.Hold;
import io.lifeboat.common.retention.SnapshotRef;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.store.ObjectStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a legal hold ({@code holds/<id>} objects, {@link Hold}) protects a snapshot, so
 * forget never removes a held one. {@link #fromStore} evaluates the stored holds; the catalog may
 * pass its own view.
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
     * The holds stored in the repository ({@code holds/<id>}), read once now through {@link StoredHolds}.
     * A hold object that cannot be decoded protects every snapshot: forget refuses rather than
     * guess what it targets.
     */
    static HoldChecker fromStore(ObjectStore store) {
        StoredHolds stored = StoredHolds.read(store);
        List<Hold> holds = stored.holds();
        List<String> unreadable = stored.unreadable();
        return (s, now) -> {
            if (!unreadable.isEmpty()) {
                return Optional.of(unreadable.get(0) + " (unreadable, so it may target any snapshot)");
            }
            SnapshotRef ref = SnapshotRef.of(s);
            return holds.stream().filter(h -> h.protects(ref, now)).map(Hold::id).findFirst();
        };
    }
}
