package io.lifeboat.common.engine.postgres.wal;

import io.lifeboat.common.repository.RepositoryException;

/**
 * A WAL file is already archived with different content. Never overwritten: two clusters writing to
 * one archive name, or a restored cluster archiving into its origin's archive, would otherwise
 * destroy the history recovery needs.
 */
public final class WalConflictException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public WalConflictException(String message) {
        super(message);
    }
}
