package io.lifeboat.common.store;

/**
 * How an object is written.
 *
 * @param kind what the object is, so adapters can choose a storage class per kind (packs may go
 *     to a colder class than metadata) and lock retention per kind
 */
public record PutOptions(ObjectKind kind) {
    public static final PutOptions DEFAULT = new PutOptions(ObjectKind.METADATA);

    public static PutOptions of(ObjectKind kind) {
        return new PutOptions(kind);
    }
}
