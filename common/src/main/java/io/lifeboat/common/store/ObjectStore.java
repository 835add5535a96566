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

    /** A short description for logs and errors, never containing credentials. */
    String describe();

    @Override
    default void close() {
    }
}
