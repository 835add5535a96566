package io.lifeboat.common.engine.postgres;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.repository.CorruptObjectException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The {@code manifest.json} node of a {@code postgres-logical} snapshot: what was dumped, by which
 * tool from which server, and per table the row count and checksum taken in the dump's snapshot
 * (see {@link PgCopyLineHasher} and {@link PgChecksums}). Holds no connection secrets.
 *
 * <p>Versions: 3 changes the algorithm of the stream checksums from {@code copy-sum-sha256-64} to
 * {@code copy-sum-xxh64} (the fields are the same); 2 adds {@code Database.checksumAlgorithm} and
 * {@code TableStats.copyColumns}; a version 1 manifest has neither and its checksums are all
 * {@code sum-md5-64}. All are read.
 *
 * @param version manifest format version ({@value #VERSION})
 * @param serverVersion {@code server_version} of the dumped server
 * @param serverVersionNum {@code server_version_num}
 * @param pgDumpVersion the {@code pg_dump --version} line
 * @param pgDumpMajor its major version (pg_restore must be at least this)
 * @param checksumAlgorithm how table checksums were computed, unless a database says otherwise:
 *     {@code copy-sum-xxh64} (version 3) or {@code copy-sum-sha256-64} (version 2), both
 *     {@link PgCopyLineHasher}, or {@code sum-md5-64} ({@link PgChecksums})
 * @param globals true if {@code globals.sql} holds {@code pg_dumpall --globals-only}
 * @param databases one entry per dumped database
 */
public record PostgresManifest(int version, String serverVersion, int serverVersionNum, String pgDumpVersion,
        int pgDumpMajor, String checksumAlgorithm, boolean globals, List<Database> databases) {
    public static final int VERSION = 3;
    /** The oldest version still read: 1 lacks per-database algorithms and COPY column lists. */
    public static final int MIN_VERSION = 1;
    public static final String NODE = "manifest.json";
    public static final String GLOBALS_NODE = "globals.sql";
    private static final ObjectMapper JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public PostgresManifest {
        databases = databases == null ? List.of() : List.copyOf(databases);
    }

    /**
     * @param name database name
     * @param dump the tree node holding its {@code pg_dump -Fc} archive
     * @param dumpBytes the archive's length
     * @param tables per-table statistics, ordered by schema and name
     * @param checksumAlgorithm the algorithm of this database's checksums when it differs from the
     *     manifest's (the SQL fallback when its archive could not be scanned); null otherwise
     */
    public record Database(String name, String dump, long dumpBytes, List<TableStats> tables, String checksumAlgorithm) {
        public Database {
            tables = tables == null ? List.of() : List.copyOf(tables);
        }

        /** A database whose checksums use the manifest's algorithm. */
        public Database(String name, String dump, long dumpBytes, List<TableStats> tables) {
            this(name, dump, dumpBytes, tables, null);
        }

        /** The algorithm of this database's checksums: its own if set, else the manifest's. */
        public String algorithm(PostgresManifest manifest) {
            if (checksumAlgorithm != null) {
                return checksumAlgorithm;
            }
            return manifest.checksumAlgorithm() != null ? manifest.checksumAlgorithm() : PgChecksums.ALGORITHM;
        }

        public Optional<TableStats> table(String schema, String table) {
            return tables.stream().filter(t -> t.schema().equals(schema) && t.table().equals(table)).findFirst();
        }
    }

    /**
     * A table's row count and checksum, and the names of the objects that belong to it, so that a
     * single-table restore can bring them back too.
     *
     * @param copyColumns for the {@code copy-sum-*} algorithms: the column list of pg_dump's COPY statement as
     *     written there (quoted identifiers, comma separated), which the restore-side check copies out
     *     in the same order; null otherwise
     */
    public record TableStats(String schema, String table, long rows, String checksum, Dependents dependents,
            String copyColumns) {
        public TableStats {
            dependents = dependents == null ? Dependents.NONE : dependents;
        }

        public TableStats(String schema, String table, long rows, String checksum, Dependents dependents) {
            this(schema, table, rows, checksum, dependents, null);
        }

        public String qualified() {
            return schema + "." + table;
        }
    }

    /**
     * Objects that pg_dump writes as their own archive entries but that belong to one table.
     *
     * @param indexes indexes not backing a constraint
     * @param constraints primary key, unique, check and exclusion constraints
     * @param foreignKeys foreign keys from this table
     * @param triggers triggers (not internal ones)
     * @param defaults columns with a default expression
     * @param sequences sequences owned by the table (serial and identity columns), in its schema
     */
    public record Dependents(List<String> indexes, List<String> constraints, List<ForeignKey> foreignKeys,
            List<String> triggers, List<String> defaults, List<String> sequences) {
        public static final Dependents NONE = new Dependents(null, null, null, null, null, null);

        public Dependents {
            indexes = indexes == null ? List.of() : List.copyOf(indexes);
            constraints = constraints == null ? List.of() : List.copyOf(constraints);
            foreignKeys = foreignKeys == null ? List.of() : List.copyOf(foreignKeys);
            triggers = triggers == null ? List.of() : List.copyOf(triggers);
            defaults = defaults == null ? List.of() : List.copyOf(defaults);
            sequences = sequences == null ? List.of() : List.copyOf(sequences);
        }
    }

    /** A foreign key constraint and the table it references. */
    public record ForeignKey(String name, String schema, String table) {
    }

    public Optional<Database> database(String name) {
        return databases.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public byte[] encode() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws CorruptObjectException if the bytes are not a manifest of a known version */
    public static PostgresManifest decode(byte[] json) {
        PostgresManifest m;
        try {
            m = JSON.readValue(json, PostgresManifest.class);
        } catch (IOException | RuntimeException e) {
            throw new CorruptObjectException("postgres manifest.json is malformed");
        }
        if (m == null || m.version() < MIN_VERSION || m.version() > VERSION) {
            throw new CorruptObjectException("postgres manifest.json has an unsupported version");
        }
        return m;
    }
}
