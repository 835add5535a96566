package io.lifeboat.common.maintenance;

import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.retention.Hold;
import io.lifeboat.common.retention.HoldCodec;
import io.lifeboat.common.retention.SnapshotRef;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.store.ObjectStore;
import java.time.Instant;
import java.util.ArrayList;
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
     * The holds stored in the repository ({@code holds/<id>}, {@link HoldCodec}), read once now.
     * A hold object that cannot be decoded protects every snapshot: forget refuses rather than
     * guess what it targets.
     */
    static HoldChecker fromStore(ObjectStore store) {
        List<String> keys = new ArrayList<>();
        store.list(RepositoryLayout.HOLDS, i -> keys.add(i.key()));
        keys.sort(null);
        List<Hold> holds = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String key : keys) {
            String id = RepositoryLayout.nameOf(RepositoryLayout.HOLDS, key);
            try {
                holds.add(HoldCodec.decode(store.get(key), id));
            } catch (ObjectNotFoundException e) {
                // removed since the listing
            } catch (RepositoryException | IllegalArgumentException e) {
                unreadable.add(id);
            }
        }
        return (s, now) -> {
            if (!unreadable.isEmpty()) {
                return Optional.of(unreadable.get(0) + " (unreadable, so it may target any snapshot)");
            }
            SnapshotRef ref = SnapshotRef.of(s);
            return holds.stream().filter(h -> h.protects(ref, now)).map(Hold::id).findFirst();
        };
    }
}
