package io.lifeboat.common.engine.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Row counts and content checksums of tables, computed the same way at backup time (inside the
 * exported snapshot pg_dump reads) and after a restore, so equal values mean equal data.
 *
 * <p>Backups since manifest version 3 take {@value PgCopyLineHasher#ALGORITHM} (version 2:
 * {@value PgCopyLineHasher#SHA256_ALGORITHM}) from the dump stream itself ({@link PgCustomArchiveScanner})
 * and the restore recomputes it with {@link #ofCopy}. The SQL checksum below is the fallback when a dump
 * cannot be scanned, and what version 1 backups hold; all stay readable.
 *
 * <p>The SQL checksum ({@value #ALGORITHM}) is the sum, as an exact numeric, of the first 64 bits of
 * {@code md5(row::text)} over all rows, read as a signed integer. A sum is independent of row order,
 * so no sort is needed and the cost is one sequential scan; md5 and the text form of rows are stable,
 * documented functions. Because a row's text form depends on session settings, every session that
 * computes checksums first fixes them ({@link #SESSION_SETTINGS}).
 */
final class PgChecksums {
    static final String ALGORITHM = "sum-md5-64";
    static final List<String> SESSION_SETTINGS = List.of("SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'",
        "SET TimeZone = 'UTC'", "SET extra_float_digits = 3", "SET bytea_output = 'hex'",
        // As pg_dump: a table whose rows a policy would hide fails loudly instead of being counted short.
        "SET row_security = off");

    /** Ordinary tables whose data pg_dump writes: not system, not temporary, not owned by an extension. */
    private static final String TABLES = """
        select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
          and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
          and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid
                          and d.deptype = 'e')
        order by 1, 2""";

    private PgChecksums() {
    }

    static void fixSession(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : SESSION_SETTINGS) {
                st.execute(s);
            }
        }
    }

    /** The tables of the connected database, as {schema, table} pairs. */
    static List<String[]> tables(Connection c) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(TABLES)) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return out;
    }

    static String sql(String schema, String table) {
        return "select count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 16))::bit(64)::bigint::numeric), 0)::text"
            + " from " + quote(schema) + "." + quote(table) + " t";
    }

    static PostgresManifest.TableStats of(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql(schema, table)); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new PostgresManifest.TableStats(schema, table, rs.getLong(1), rs.getString(2), null);
        }
    }

    /**
     * Counts and checksums a table with one of the COPY line algorithms ({@link PgCopyLineHasher}):
     * copies it out as text over this connection (whose session {@link #fixSession} has fixed, as
     * pg_dump's is) with the column list pg_dump used, and hashes each line.
     *
     * @param copyColumns the column list recorded from pg_dump's COPY statement; null copies all columns
     * @param algorithm {@value PgCopyLineHasher#ALGORITHM} or {@value PgCopyLineHasher#SHA256_ALGORITHM}
     */
    static PostgresManifest.TableStats ofCopy(Connection c, String schema, String table, String copyColumns,
            String algorithm) throws SQLException {
        String cols = copyColumns == null || copyColumns.isBlank() ? "" : " (" + copyColumns + ")";
        PgCopyLineHasher hasher = new PgCopyLineHasher(algorithm);
        java.io.OutputStream sink = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                hasher.update(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                hasher.update(b, off, len);
            }
        };
        try {
            c.unwrap(org.postgresql.PGConnection.class).getCopyAPI()
                .copyOut("COPY " + quote(schema) + "." + quote(table) + cols + " TO STDOUT", sink);
        } catch (java.io.IOException e) {
            throw new SQLException("copying out " + schema + "." + table + " failed: " + e.getMessage(), e);
        }
        hasher.finish();
        return new PostgresManifest.TableStats(schema, table, hasher.rows(), hasher.checksum(), null);
    }

    /** The names of the objects that belong to {@code schema.table}, read in the same transaction. */
    static PostgresManifest.Dependents dependents(Connection c, String schema, String table) throws SQLException {
        String rel = quote(schema) + "." + quote(table);
        List<String> indexes = names(c, "select i.relname from pg_index x join pg_class i on i.oid = x.indexrelid "
            + "where x.indrelid = ?::regclass and not exists (select 1 from pg_constraint k where k.conindid = i.oid "
            + "and k.conrelid = x.indrelid) order by 1", rel);
        List<String> constraints = names(c, "select conname from pg_constraint where conrelid = ?::regclass "
            + "and contype in ('p', 'u', 'c', 'x') order by 1", rel);
        List<String> triggers = names(c, "select tgname from pg_trigger where tgrelid = ?::regclass and not tgisinternal "
            + "order by 1", rel);
        List<String> defaults = names(c, "select a.attname from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid "
            + "and a.attnum = d.adnum where d.adrelid = ?::regclass order by 1", rel);
        List<String> sequences = names(c, "select s.relname from pg_depend d join pg_class s on s.oid = d.objid "
            + "where d.refobjid = ?::regclass and d.classid = 'pg_class'::regclass and s.relkind = 'S' "
            + "and d.deptype in ('a', 'i') order by 1", rel);
        List<PostgresManifest.ForeignKey> fks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select k.conname, n.nspname, r.relname from pg_constraint k "
                + "join pg_class r on r.oid = k.confrelid join pg_namespace n on n.oid = r.relnamespace "
                + "where k.conrelid = ?::regclass and k.contype = 'f' order by 1")) {
            ps.setString(1, rel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fks.add(new PostgresManifest.ForeignKey(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return new PostgresManifest.Dependents(indexes, constraints, fks, triggers, defaults, sequences);
    }

    private static List<String> names(Connection c, String sql, String rel) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, rel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** True if {@code schema.table} exists in the connected database. */
    static boolean exists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            ps.setString(1, quote(schema) + "." + quote(table));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
