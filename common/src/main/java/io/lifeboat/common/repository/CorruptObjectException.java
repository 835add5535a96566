package io.lifeboat.common.repository;

/**
 * An object failed to parse, authenticate or verify. Parsers give the same kind of error for
 * every malformation (truncated, oversized length, flipped bits, wrong version), naming the
 * object but never echoing its content.
 */
public final class CorruptObjectException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public CorruptObjectException(String message) {
        super(message);
    }

    public CorruptObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
