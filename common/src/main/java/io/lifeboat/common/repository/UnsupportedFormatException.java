package io.lifeboat.common.repository;

/**
 * The repository uses a format version, algorithm or key-slot type this build does not know.
 * Never a fallback: reading on would mean guessing.
 */
public final class UnsupportedFormatException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(String message) {
        super(message);
    }
}
