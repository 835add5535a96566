package io.lifeboat.common.engine.postgres;

import java.util.Objects;

/**
 * A PostgreSQL restore failed after pg_restore started writing (disk full on the server, an object
 * that could not be created, ...). The message is one line that says why and which tables were not
 * restored; {@link #report()} gives every selected table's state after the failure.
 */
public final class PostgresRestoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient PostgresRestoreReport report;

    public PostgresRestoreException(String message, PostgresRestoreReport report, Throwable cause) {
        super(message, cause);
        this.report = Objects.requireNonNull(report, "report");
    }

    /** Per selected table: PASS/FAIL/MISSING as validated after the failure, or NOT_RESTORED. */
    public PostgresRestoreReport report() {
        return report;
    }
}
