package io.lifeboat.common.maintenance;

import io.lifeboat.common.repository.JournalEntry;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.repository.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Forget: removes snapshot manifests, never one under a legal hold or under Object Lock, and
 * journals who removed what. The blobs stay until {@link Prune} finds them unreferenced.
 *
 * <p>Forget takes no lease: deleting manifests is safe alongside backups and prune (a prune that
 * listed a manifest forget then deletes keeps its blobs one run longer). Idempotent: forgetting
 * again a snapshot already gone fails naming it, before anything is deleted.
 */
public final class Maintenance {
    private Maintenance() {
    }

    private static String retainedUntil(PackRepository repo, String key) {
        try {
            return repo.store().retention(key).map(r -> " until " + r.retainUntil()).orElse("");
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** What forget removed. */
    public record ForgetResult(List<Snapshot> forgotten, Instant time) {
        public ForgetResult {
            forgotten = List.copyOf(forgotten);
        }
    }

    /**
     * Forgets snapshots, honouring the holds stored in the repository ({@link HoldChecker#fromStore})
     * and the store's Object Lock retention ({@link RetentionLockPolicy#fromStore}).
     */
    public static ForgetResult forget(PackRepository repo, List<String> idsOrPrefixes, String actor) {
        return forget(repo, idsOrPrefixes, actor, HoldChecker.fromStore(repo.store()), RetentionLockPolicy.fromStore(repo.store()));
    }

    /**
     * Resolves every id (full, unique prefix of at least 4 hex digits, or {@code latest}) first,
     * refuses the whole request if any is held or locked, then deletes the manifests and appends
     * one signed journal entry (action {@code forget}, the manifest keys as objects).
     *
     * @throws RepositoryException naming the first snapshot that is unknown, ambiguous, held or locked;
     *     nothing is deleted then
     */
    public static ForgetResult forget(PackRepository repo, List<String> idsOrPrefixes, String actor, HoldChecker holds,
            RetentionLockPolicy lock) {
        if (idsOrPrefixes.isEmpty()) {
            throw new IllegalArgumentException("name at least one snapshot to forget");
        }
        Instant now = repo.clock().instant();
        Map<String, Snapshot> chosen = new LinkedHashMap<>();
        for (String idOrPrefix : idsOrPrefixes) {
            Snapshot s = repo.snapshot(idOrPrefix);
            Optional<String> hold = holds.holdOn(s, now);
            if (hold.isPresent()) {
                throw new RepositoryException("snapshot " + s.id().hex() + " is under legal hold " + hold.get() + "; nothing was forgotten");
            }
            String key = RepositoryLayout.snapshot(s.id());
            if (!lock.deletableNow(key, now)) {
                throw new RepositoryException("snapshot " + s.id().hex() + " is under object lock retention"
                    + retainedUntil(repo, key) + "; nothing was forgotten");
            }
            chosen.put(key, s);
        }
        for (String key : chosen.keySet()) {
            repo.store().delete(key);
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("snapshots", Integer.toString(chosen.size()));
        String who = actor == null || actor.isBlank() ? repo.actor() : actor;
        repo.appendJournal(new JournalEntry("forget", who, now, new ArrayList<>(chosen.keySet()), details));
        return new ForgetResult(new ArrayList<>(chosen.values()), now);
    }
}
