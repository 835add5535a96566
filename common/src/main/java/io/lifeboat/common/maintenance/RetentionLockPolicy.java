package io.lifeboat.common.maintenance;

import java.time.Instant;

/**
 * Whether an object may be deleted now, for repositories in buckets with S3 Object Lock: an
 * object under retention cannot be deleted before its retain-until date, and prune must then keep
 * it (and its candidate record) rather than fail half-way. Object Lock is not implemented yet;
 * {@link #NONE} allows every delete.
 *
 * <p>Threading: implementations are safe for concurrent use; answers may query the store.
 */
@FunctionalInterface
public interface RetentionLockPolicy {
    /** No Object Lock: everything is deletable. */
    RetentionLockPolicy NONE = (key, now) -> true;

    /** True if {@code key} may be deleted at {@code now}. */
    boolean deletableNow(String key, Instant now);
}
