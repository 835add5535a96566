package io.lifeboat.common.store;

/** The key names no object. */
public final class ObjectNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ObjectNotFoundException(String key) {
        super("object not found: " + key);
    }
}
