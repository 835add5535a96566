package io.lifeboat.common.store;

import java.time.Instant;

/**
 * What a listing or a stat tells about one object.
 *
 * @param key full key within the store
 * @param size size in bytes
 * @param lastModified time the store last wrote it
 * @param etag an opaque content tag, or null where the store has none
 */
public record ObjectInfo(String key, long size, Instant lastModified, String etag) {
}
