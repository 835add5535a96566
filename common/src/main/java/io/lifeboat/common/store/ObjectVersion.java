package io.lifeboat.common.store;

import java.time.Instant;

/**
 * One version of a key in a versioned store, as a version listing shows it.
 *
 * @param key full key within the store
 * @param versionId the store's id of this version (opaque)
 * @param latest true for the current version (what a plain get reads, unless it is a delete marker)
 * @param deleteMarker true if this version is a delete marker: a plain delete's tombstone, no data
 * @param size size in bytes (0 for a delete marker)
 * @param lastModified when this version was written
 */
public record ObjectVersion(String key, String versionId, boolean latest, boolean deleteMarker, long size, Instant lastModified) {
}
