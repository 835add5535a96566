package io.lifeboat.common.store;

import java.io.InputStream;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A flat key/value store of immutable objects: an S3 bucket (with an optional prefix) or a local
 * directory. Keys are {@code /}-separated relative paths made only by
 * {@link io.lifeboat.common.repository.RepositoryLayout}.
 *
 * <p>Threading: implementations are safe for concurrent use by many threads.
 *
 * <p>Errors: every method throws {@link ObjectNotFoundException} for a missing key where
 * the key must exist, {@link TransientStoreException} for failures worth retrying (5xx,
 * throttling, timeouts, connection resets) and {@link StoreException} for everything else
 * (permanent: access denied, bad request). Retry is decided in one place, by a decorator.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Writes an object whole, replacing any object under the same key. Idempotent: writing the
     * same bytes twice is harmless. Readers never see a partly written object.
     */
    void put(String key, byte[] data, PutOptions options);

    default void put(String key, byte[] data) {
        put(key, data, PutOptions.DEFAULT);
    }

    /** Reads an object whole. */
    byte[] get(String key);

    /**
     * Reads {@code length} bytes starting at {@code offset}. Fails with {@link StoreException}
     * if the range runs past the end of the object.
     */
    byte[] getRange(String key, long offset, int length);

    /**
     * Reads {@code length} bytes starting at {@code offset} into {@code dst} at {@code dstOff},
     * as {@link #getRange} does, so a caller reading many ranges can reuse one buffer instead of
     * allocating an array per read. The default copies from {@link #getRange}; a store that can
     * read into the caller's array overrides it. On failure {@code dst} holds nothing usable.
     */
    default void getRangeInto(String key, long offset, int length, byte[] dst, int dstOff) {
        java.util.Objects.checkFromIndexSize(dstOff, length, dst.length);
        System.arraycopy(getRange(key, offset, length), 0, dst, dstOff, length);
    }

    /** Opens a stream over an object, for objects too large to hold in memory. */
    InputStream open(String key);

    /** Size and time of an object, or empty if it does not exist. */
    Optional<ObjectInfo> stat(String key);

    default boolean exists(String key) {
        return stat(key).isPresent();
    }

    /**
     * Calls {@code consumer} for every object whose key starts with {@code prefix}, in no
     * guaranteed order. Objects written during the listing may or may not be seen.
     */
    void list(String prefix, Consumer<ObjectInfo> consumer);

    /** Deletes an object; deleting a missing object is not an error. */
    void delete(String key);

    // ------------------------------------------------------------ optional: versions and Object Lock

    /**
     * What this store offers beyond the basic operations. Defaults to {@link StoreCapabilities#NONE};
     * decorators report their delegate's. May query the store (S3 asks the bucket once).
     */
    default StoreCapabilities capabilities() {
        return StoreCapabilities.NONE;
    }

    /**
     * Calls {@code consumer} for every version of every key starting with {@code prefix}, delete
     * markers included, newest first within a key; keys in no guaranteed order.
     *
     * @throws UnsupportedStoreOperationException without {@link StoreCapabilities#versioning()}
     */
    default void listVersions(String prefix, Consumer<ObjectVersion> consumer) {
        throw unsupported("listing object versions");
    }

    /**
     * Reads one version of an object whole, current or not.
     *
     * @throws ObjectNotFoundException if the key or version does not exist (or is a delete marker)
     * @throws UnsupportedStoreOperationException without {@link StoreCapabilities#versioning()}
     */
    default byte[] getVersion(String key, String versionId) {
        throw unsupported("reading object versions");
    }

    /**
     * Reads {@code length} bytes of one version starting at {@code offset}. The default reads the
     * whole version; adapters override it with a ranged read.
     */
    default byte[] getVersionRange(String key, String versionId, long offset, int length) {
        byte[] all = getVersion(key, versionId);
        if (offset < 0 || length < 0 || offset + length > all.length) {
            throw new StoreException("range " + offset + "+" + length + " runs past the end of " + key + " version " + versionId);
        }
        return java.util.Arrays.copyOfRange(all, (int) offset, (int) offset + length);
    }

    /**
     * Permanently deletes one version (or delete marker). A store with Object Lock refuses a version
     * under active retention with a {@link StoreException}.
     *
     * @throws UnsupportedStoreOperationException without {@link StoreCapabilities#versioning()}
     */
    default void deleteVersion(String key, String versionId) {
        throw unsupported("deleting object versions");
    }

    /**
     * The Object Lock retention of the current version of {@code key}, or empty if it has none.
     *
     * @throws ObjectNotFoundException if the key does not exist
     * @throws UnsupportedStoreOperationException without {@link StoreCapabilities#objectLock()}
     */
    default Optional<Retention> retention(String key) {
        throw unsupported("reading Object Lock retention");
    }

    /**
     * Sets the retention of the current version of {@code key}. Stores only ever lengthen a
     * retention in COMPLIANCE mode; asking for an earlier date than the current one fails
     * ({@link StoreException}), so callers extend only what {@link #retention} shows is shorter.
     * Idempotent for the same retention.
     *
     * @throws ObjectNotFoundException if the key does not exist
     * @throws UnsupportedStoreOperationException without {@link StoreCapabilities#objectLock()}
     */
    default void extendRetention(String key, Retention retention) {
        throw unsupported("setting Object Lock retention");
    }

    private UnsupportedStoreOperationException unsupported(String what) {
        return new UnsupportedStoreOperationException(describe() + " does not support " + what);
    }

    /** A short description for logs and errors, never containing credentials. */
    String describe();

    @Override
    default void close() {
    }
}
