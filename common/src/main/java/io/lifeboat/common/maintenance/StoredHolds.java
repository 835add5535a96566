package io.lifeboat.common.maintenance;

import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.retention.Hold;
import io.lifeboat.common.retention.HoldCodec;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The legal holds stored in a repository ({@code holds/<id>}, {@link HoldCodec}), read once.
 *
 * @param holds every hold that decodes, sorted by id
 * @param unreadable ids of hold objects that do not decode; each may target any snapshot, so
 *     callers that delete must refuse while one exists
 */
public record StoredHolds(List<Hold> holds, List<String> unreadable) {

    public StoredHolds {
        holds = List.copyOf(holds);
        unreadable = List.copyOf(unreadable);
    }

    /** Lists and decodes every hold object; a hold removed during the listing is skipped. */
    public static StoredHolds read(ObjectStore store) {
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
        return new StoredHolds(holds, unreadable);
    }
}
