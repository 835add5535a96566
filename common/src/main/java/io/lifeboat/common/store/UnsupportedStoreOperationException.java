package io.lifeboat.common.store;

/**
 * An optional operation the store does not offer (see {@link StoreCapabilities}): permanent, never
 * retried.
 */
public class UnsupportedStoreOperationException extends StoreException {
    private static final long serialVersionUID = 1L;

    public UnsupportedStoreOperationException(String message) {
        super(message);
    }
}
