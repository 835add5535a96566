package io.lifeboat.common.maintenance;

import io.lifeboat.common.repository.RepositoryException;

/** Another maintenance run holds the lease, or this run lost it; the message names the holder and expiry. */
public final class MaintenanceLeaseException extends RepositoryException {
    public MaintenanceLeaseException(String message) {
        super(message);
    }
}
