package io.lifeboat.common.store;

/** A failure worth retrying: 5xx, throttling, timeouts, connection resets. */
public final class TransientStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    public TransientStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
