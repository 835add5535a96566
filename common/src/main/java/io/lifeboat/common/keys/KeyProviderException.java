package io.lifeboat.common.keys;

/** A key provider refused or failed; the message is one line fit for an operator. */
public class KeyProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    public KeyProviderException(String message) {
        this(message, false, null);
    }

    public KeyProviderException(String message, Throwable cause) {
        this(message, false, cause);
    }

    public KeyProviderException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** True for throttling, 5xx and network failures: trying again later may succeed. */
    public boolean isTransient() {
        return transientFailure;
    }
}
