package io.lifeboat.common.store;

/** The kinds of object in a repository; adapters map them to storage classes. */
public enum ObjectKind {
    /** Pack files: bulk data, the only kind that may later move to a cold tier. */
    PACK,
    /** Index files, snapshot manifests, keys, config, journal, holds: always hot. */
    METADATA,
    /** WAL segments of a database cluster. */
    WAL,
    /** Short-lived coordination objects (leases, job markers). */
    CONTROL
}
