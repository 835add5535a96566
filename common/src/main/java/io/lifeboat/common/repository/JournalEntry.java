package io.lifeboat.common.repository;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One signed record of a change to the repository: who did what, when, to which objects. The
 * catalog turns these into audit rows and events, so work done with the CLI alone is never
 * invisible.
 *
 * @param action what was done: {@code backup}, {@code forget}, {@code prune}, {@code key-add}, ...
 * @param actor who did it (user@host, or a service account)
 * @param time when it was done
 * @param objects the object keys or ids it created or removed
 * @param details small facts about the run; never secrets
 */
public record JournalEntry(String action, String actor, Instant time, List<String> objects, Map<String, String> details) {
    public JournalEntry {
        objects = objects == null ? List.of() : List.copyOf(objects);
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
