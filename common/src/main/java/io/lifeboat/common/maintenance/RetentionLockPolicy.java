package io.lifeboat.common.maintenance;

import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.Retention;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether an object may be deleted now, for repositories in buckets with S3 Object Lock: an
 * object under retention cannot be deleted before its retain-until date, and prune must then keep
 * it (and its candidate record) rather than fail half-way, while forget refuses. This matters even
 * though S3 enforces the lock: in a versioned bucket a plain DELETE of a locked object succeeds and
 * only hides it behind a delete marker, which Lifeboat must never do to an object it promised to keep.
 *
 * <p>Threading: implementations are safe for concurrent use; answers may query the store.
 */
@FunctionalInterface
public interface RetentionLockPolicy {
    /** No Object Lock: everything is deletable. */
    RetentionLockPolicy NONE = (key, now) -> true;

    /** True if {@code key} may be deleted at {@code now}. */
    boolean deletableNow(String key, Instant now);

    /**
     * Asks the store (GetObjectRetention) for every key; {@link #NONE} for a store without Object
     * Lock. A missing object is deletable (there is nothing to delete).
     */
    static RetentionLockPolicy fromStore(ObjectStore store) {
        if (!store.capabilities().objectLock()) {
            return NONE;
        }
        return (key, now) -> {
            Optional<Retention> r;
            try {
                r = store.retention(key);
            } catch (ObjectNotFoundException e) {
                return true;
            }
            return r.isEmpty() || !r.get().activeAt(now);
        };
    }
}
