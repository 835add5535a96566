package io.lifeboat.common.store;

/**
 * What an {@link ObjectStore} can do beyond the basic port. Callers ask before using an optional
 * operation; an adapter that lacks one throws {@link UnsupportedStoreOperationException} from it.
 *
 * @param versioning the store keeps every version of a key: {@link ObjectStore#listVersions},
 *     {@link ObjectStore#getVersion} and {@link ObjectStore#deleteVersion} work, and a plain
 *     delete leaves a delete marker instead of destroying data. For S3 this is a property of the
 *     bucket; the adapter reports what the bucket says.
 * @param objectLock the store enforces retain-until dates: {@link PutOptions#retention()},
 *     {@link ObjectStore#retention} and {@link ObjectStore#extendRetention} work. Implies versioning.
 */
public record StoreCapabilities(boolean versioning, boolean objectLock) {
    /** A plain store: no versions, no locks. */
    public static final StoreCapabilities NONE = new StoreCapabilities(false, false);
    /** Versioned, with Object Lock. */
    public static final StoreCapabilities VERSIONED_WITH_LOCK = new StoreCapabilities(true, true);

    public StoreCapabilities {
        if (objectLock && !versioning) {
            throw new IllegalArgumentException("Object Lock needs versioning");
        }
    }
}
