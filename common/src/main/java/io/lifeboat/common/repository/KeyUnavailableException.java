package io.lifeboat.common.repository;

/**
 * No key slot opened because a key service refused or failed: the KMS key is disabled, pending
 * deletion, gone or not accessible with these credentials, or the KMS is unreachable. Unlike
 * {@link WrongPasswordException}, the credentials may be right; a recovery slot (passphrase or key
 * file) still opens the repository.
 */
public final class KeyUnavailableException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public KeyUnavailableException(String message) {
        super(message);
    }
}
