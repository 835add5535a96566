package io.lifeboat.common.retention;

/** A retention policy or one of its flag values is invalid; the message is one line fit for a terminal. */
public final class RetentionPolicyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public RetentionPolicyException(String message) {
        super(message);
    }
}
