package io.lifeboat.common.repository;

/** No key slot of the repository opens with the credential given. */
public final class WrongPasswordException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public WrongPasswordException(String message) {
        super(message);
    }
}
