package io.lifeboat.common.engine.postgres;

import java.time.Duration;
import java.util.List;

/**
 * The result of a PostgreSQL restore: per restored table, the recorded and the found row count and
 * checksum, and whether they match.
 *
 * @param snapshot the snapshot id (hex)
 * @param database the dumped database
 * @param targetDatabase where it was restored
 * @param schemaOnly true if only definitions were restored (then tables pass when they exist)
 * @param createdDatabase true if this restore created the target database
 * @param tables one result per restored table
 * @param warnings notes about what was not restored
 * @param elapsed wall-clock time
 */
public record PostgresRestoreReport(String snapshot, String database, String targetDatabase, boolean schemaOnly,
        boolean createdDatabase, List<TableResult> tables, List<String> warnings, Duration elapsed) {

    public PostgresRestoreReport {
        tables = List.copyOf(tables);
        warnings = List.copyOf(warnings);
    }

    /**
     * PASS: count and checksum match; FAIL: they differ; MISSING: the table is not in the target;
     * NOT_RESTORED: the pg_restore run that held the table failed and was rolled back (the table is as it
     * was before the restore, or absent).
     */
    public enum Status { PASS, FAIL, MISSING, NOT_RESTORED }

    /** One table's validation. */
    public record TableResult(String schema, String table, long expectedRows, long actualRows, String expectedChecksum,
            String actualChecksum, Status status) {
    }

    public boolean ok() {
        return tables.stream().allMatch(t -> t.status() == Status.PASS);
    }

    public long failed() {
        return tables.stream().filter(t -> t.status() != Status.PASS).count();
    }
}
