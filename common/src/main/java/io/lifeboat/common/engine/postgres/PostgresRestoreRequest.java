package io.lifeboat.common.engine.postgres;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to restore from a {@code postgres-logical} snapshot, and where.
 *
 * @param database the dumped database to restore
 * @param targetDatabase the database to restore into (may be {@code database})
 * @param schemas restore only these schemas ({@code pg_restore -n}); empty with empty tables for all
 * @param tables restore only these tables, {@code schema.table}, with their indexes, constraints, triggers,
 *     defaults, owned sequences and the foreign keys whose referenced table will exist (see {@link PgRestoreList})
 * @param schemaOnly restore definitions without data
 * @param clean drop the restored objects first ({@code --clean --if-exists}); only the objects named by
 *     this request are dropped, never others
 * @param createDatabase create {@code targetDatabase} first; it must not exist
 * @param noOwner do not restore object ownership (for another server whose roles differ)
 * @param jobs pg_restore jobs; 1 streams the archive into one transaction, more spool it to a file in
 *     {@code spoolDir} first ({@code pg_restore --jobs} needs a seekable file and cannot run in one
 *     transaction, so it is refused together with {@code clean})
 * @param spoolDir where the archive is spooled when {@code jobs > 1}; null for {@code java.io.tmpdir}
 */
public record PostgresRestoreRequest(String database, String targetDatabase, List<String> schemas, List<String> tables,
        boolean schemaOnly, boolean clean, boolean createDatabase, boolean noOwner, int jobs, Path spoolDir) {

    public PostgresRestoreRequest {
        Objects.requireNonNull(database, "database");
        targetDatabase = targetDatabase == null ? database : targetDatabase;
        schemas = schemas == null ? List.of() : List.copyOf(schemas);
        tables = tables == null ? List.of() : List.copyOf(tables);
        for (String t : tables) {
            int dot = t.indexOf('.');
            if (dot <= 0 || dot == t.length() - 1 || t.indexOf('.', dot + 1) >= 0) {
                throw new IllegalArgumentException("table must be given as schema.table, got '" + t + "'");
            }
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
        }
        if (jobs > 1 && clean) {
            throw new IllegalArgumentException("--jobs cannot go with --clean: a parallel pg_restore cannot run in one "
                + "transaction, so a failure after its drops would lose the objects being replaced; replace in place "
                + "without --jobs, or restore with --jobs into a new database");
        }
    }

    /** A streaming restore (one job, one transaction). */
    public PostgresRestoreRequest(String database, String targetDatabase, List<String> schemas, List<String> tables,
            boolean schemaOnly, boolean clean, boolean createDatabase, boolean noOwner) {
        this(database, targetDatabase, schemas, tables, schemaOnly, clean, createDatabase, noOwner, 1, null);
    }

    /** The same request with {@code jobs} pg_restore jobs, spooling into {@code spoolDir} (null: the temp directory). */
    public PostgresRestoreRequest withJobs(int jobs, Path spoolDir) {
        return new PostgresRestoreRequest(database, targetDatabase, schemas, tables, schemaOnly, clean, createDatabase,
            noOwner, jobs, spoolDir);
    }

    /** The whole database is restored. */
    public boolean whole() {
        return schemas.isEmpty() && tables.isEmpty();
    }
}
