package io.lifeboat.common.engine;

/**
 * An engine could not complete a backup or restore; the message is one line, fit for a terminal,
 * and never contains secrets (such as a command's environment).
 */
public final class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
