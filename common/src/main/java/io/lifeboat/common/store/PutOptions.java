package io.lifeboat.common.store;

/**
 * How an object is written.
 *
 * @param kind what the object is, so adapters can choose a storage class per kind (packs may go
 *     to a colder class than metadata) and lock retention per kind
 * @param retention Object Lock retention for the new version, or null for none; a store without
 *     {@link StoreCapabilities#objectLock()} refuses a put that asks for one
 *     ({@link UnsupportedStoreOperationException}) rather than write an unprotected object
 */
public record PutOptions(ObjectKind kind, Retention retention) {
    public static final PutOptions DEFAULT = new PutOptions(ObjectKind.METADATA);

    public PutOptions(ObjectKind kind) {
        this(kind, null);
    }

    public static PutOptions of(ObjectKind kind) {
        return new PutOptions(kind);
    }

    /** The same kind, written with this retention (null: none). */
    public PutOptions withRetention(Retention r) {
        return new PutOptions(kind, r);
    }
}
