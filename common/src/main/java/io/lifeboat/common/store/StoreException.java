package io.lifeboat.common.store;

/** A failure of the object store that retrying will not fix (access denied, bad request, ...). */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
