package io.lifeboat.common.engine.postgres;

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
 */
public record PostgresRestoreRequest(String database, String targetDatabase, List<String> schemas, List<String> tables,
        boolean schemaOnly, boolean clean, boolean createDatabase, boolean noOwner) {

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
    }

    /** The whole database is restored. */
    public boolean whole() {
        return schemas.isEmpty() && tables.isEmpty();
    }
}
