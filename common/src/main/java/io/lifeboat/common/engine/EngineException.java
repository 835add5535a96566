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

    /**
     * The failure of a task that ran on another thread, for its caller to throw: an unchecked
     * {@code cause} as it is (an {@link Error} is thrown here), a checked one wrapped as
     * "{@code <what> failed: <message>}".
     */
    public static RuntimeException propagate(Throwable cause, String what) {
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new EngineException(what + " failed: " + cause.getMessage(), cause);
    }
}
