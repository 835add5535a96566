package io.lifeboat.common.engine.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an uncompressed pg_dump custom-format archive ({@code pg_dump -Fc -Z0}) front to back, as it
 * streams, and counts and checksums the COPY lines of every {@code TABLE DATA} entry
 * ({@link PgCopyLineHasher}), so a backup needs no second scan of the tables.
 *
 * <p>Format (pg_backup_archiver.c, pg_backup_custom.c): magic {@code PGDMP}; version bytes major,
 * minor, revision; {@code intSize}; {@code offSize}; format (1 = custom); compression (a byte from
 * 1.15, an int before; must be none); creation time (7 ints); database name, server version and
 * pg_dump version (strings). An int is a sign byte then {@code intSize} little-endian bytes; a string
 * is an int length (negative: null) then that many bytes. Then the TOC: an int count, and per entry
 * dumpId, hadDumper, table oid, oid, tag, desc, section, defn, dropStmt, copyStmt, namespace,
 * tablespace, tableam (1.14+), relkind (int, 1.16+), owner, "with oids", dependency strings ending
 * with a null, and the data offset (a flag byte then {@code offSize} bytes). Then data blocks to the
 * end: a type byte, the dumpId, and for {@code BLK_DATA} (1) chunks of an int length and that many
 * bytes ending with length 0; for {@code BLK_BLOBS} (3) per large object an oid then such chunks,
 * ending with oid 0.
 *
 * <p>Accepted: archive versions 1.12 to 1.16, custom format, no compression. Anything else, and
 * any truncation, bad length or unknown block type, throws {@link MalformedArchiveException} with one
 * line; the caller then checksums with SQL instead. Not thread-safe.
 */
final class PgCustomArchiveScanner {
    private static final int MIN_MINOR = 12;
    private static final int MAX_MINOR = 16;
    private static final int BLK_DATA = 1;
    private static final int BLK_BLOBS = 3;
    /** A longer string or chunk than this is taken as a corrupt length, not allocated. */
    private static final int MAX_STRING = 256 << 20;
    private static final Pattern ENCODING = Pattern.compile("client_encoding = '([^']*)'");

    /** The archive is not an uncompressed custom-format archive this scanner understands. */
    static final class MalformedArchiveException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedArchiveException(String message) {
            super(message);
        }
    }

    /**
     * One table's data as the archive holds it.
     *
     * @param copyColumns the column list of pg_dump's COPY statement, as written there (quoted
     *     identifiers, comma separated; empty for a table without columns)
     */
    record TableData(String schema, String table, String copyColumns, long rows, String checksum) {
    }

    /**
     * @param encoding the archive's client encoding (its ENCODING entry), or null if it has none
     * @param tables the TABLE DATA entries whose data block was read, by {@link #key}
     */
    record Result(String encoding, Map<String, TableData> tables) {
        TableData table(String schema, String table) {
            return tables.get(key(schema, table));
        }
    }

    /** A table's key in {@link Result#tables}: unambiguous even when names contain dots. */
    static String key(String schema, String table) {
        return schema + '\0' + table;
    }

    /**
     * The archive as a series of blocks, for a caller that already holds it in blocks
     * ({@link DumpReadAhead}): the scanner reads them in place, without copying.
     */
    @FunctionalInterface
    interface Blocks {
        /** The next block (read only, never changed afterwards), or null at the end of the archive. */
        byte[] next() throws IOException;
    }

    /** Null when reading {@link #blocks}. */
    private final InputStream in;
    /** Null when reading {@link #in}. */
    private final Blocks blocks;
    private final String algorithm;
    /**
     * Bytes {@code [pos, lim)} are not consumed yet: read ahead from {@link #in} into this scanner's
     * own buffer, or the current block of {@link #blocks}.
     */
    private byte[] buf;
    private int pos;
    private int lim;
    private int intSize;
    private int offSize;
    private int minor;

    private PgCustomArchiveScanner(InputStream in, Blocks blocks, String algorithm) {
        this.in = in;
        this.blocks = blocks;
        this.algorithm = algorithm;
        this.buf = in == null ? new byte[0] : new byte[64 * 1024];
    }

    /** Reads {@code in} to its end, checksumming with {@value PgCopyLineHasher#ALGORITHM}. */
    static Result scan(InputStream in) throws IOException {
        return scan(in, PgCopyLineHasher.ALGORITHM);
    }

    /** Reads {@code in} to its end, checksumming with {@code algorithm} (one {@link PgCopyLineHasher#knows}). */
    static Result scan(InputStream in, String algorithm) throws IOException {
        return new PgCustomArchiveScanner(in, null, algorithm).run();
    }

    /** Reads {@code blocks} to their end, checksumming with {@value PgCopyLineHasher#ALGORITHM}. */
    static Result scan(Blocks blocks) throws IOException {
        return new PgCustomArchiveScanner(null, blocks, PgCopyLineHasher.ALGORITHM).run();
    }

    private record Entry(String schema, String table, String copyColumns) {
    }

    private Result run() throws IOException {
        readHeader();
        int count = readInt();
        if (count < 0) {
            throw new MalformedArchiveException("negative TOC entry count");
        }
        Map<Integer, Entry> data = new HashMap<>();
        String encoding = null;
        for (int i = 0; i < count; i++) {
            int dumpId = readInt();
            readInt(); // hadDumper
            readStr(); // table oid
            readStr(); // oid
            String tag = readStr();
            String desc = readStr();
            readInt(); // section
            String defn = readStr();
            readStr(); // dropStmt
            String copyStmt = readStr();
            String namespace = readStr();
            readStr(); // tablespace
            if (minor >= 14) {
                readStr(); // tableam
            }
            if (minor >= 16) {
                readInt(); // relkind
            }
            readStr(); // owner
            readStr(); // with oids
            while (readStr() != null) {
                // dependencies
            }
            int flag = readByte();
            if (flag < 1 || flag > 3) {
                throw new MalformedArchiveException("bad data offset flag " + flag + " in TOC entry " + dumpId);
            }
            skip(offSize);
            if ("ENCODING".equals(desc) && defn != null) {
                Matcher m = ENCODING.matcher(defn);
                if (m.find()) {
                    encoding = m.group(1);
                }
            }
            if ("TABLE DATA".equals(desc)) {
                if (tag == null || namespace == null || copyStmt == null) {
                    throw new MalformedArchiveException("TABLE DATA entry " + dumpId + " lacks its name or COPY statement");
                }
                String columns = copyColumns(copyStmt);
                if (columns == null) {
                    throw new MalformedArchiveException("unexpected COPY statement in TOC entry " + dumpId);
                }
                data.put(dumpId, new Entry(namespace, tag, columns));
            }
        }
        Map<String, TableData> tables = new LinkedHashMap<>();
        while (true) {
            int type = pos < lim || fill() ? buf[pos++] & 0xFF : -1;
            if (type < 0) {
                break;
            }
            int dumpId = readInt();
            if (type == BLK_DATA) {
                Entry e = data.get(dumpId);
                PgCopyLineHasher hasher = e == null ? null : new PgCopyLineHasher(algorithm);
                readChunks(hasher);
                if (e != null) {
                    hasher.finish();
                    tables.put(key(e.schema(), e.table()),
                        new TableData(e.schema(), e.table(), e.copyColumns(), hasher.rows(), hasher.checksum()));
                }
            } else if (type == BLK_BLOBS) {
                while (readInt() != 0) {
                    readChunks(null);
                }
            } else {
                throw new MalformedArchiveException("unknown data block type " + type);
            }
        }
        return new Result(encoding, tables);
    }

    /**
     * The column list of {@code COPY <name> (<columns>) FROM stdin;} (empty without one), skipping the
     * possibly quoted, possibly qualified name properly; null if the statement has another shape.
     */
    static String copyColumns(String stmt) {
        if (!stmt.startsWith("COPY ")) {
            return null;
        }
        int i = 5;
        for (int part = 0; part < 2; part++) {
            if (i < stmt.length() && stmt.charAt(i) == '"') {
                i++;
                while (true) {
                    int q = stmt.indexOf('"', i);
                    if (q < 0) {
                        return null;
                    }
                    if (q + 1 < stmt.length() && stmt.charAt(q + 1) == '"') {
                        i = q + 2;
                    } else {
                        i = q + 1;
                        break;
                    }
                }
            } else {
                while (i < stmt.length() && stmt.charAt(i) != '.' && stmt.charAt(i) != ' ') {
                    i++;
                }
            }
            if (i < stmt.length() && stmt.charAt(i) == '.' && part == 0) {
                i++;
            } else {
                break;
            }
        }
        String rest = stmt.substring(i).stripTrailing();
        if (rest.equals("FROM stdin;") || rest.equals(" FROM stdin;") || rest.equals("  FROM stdin;")) {
            return "";
        }
        if (rest.startsWith(" (") && rest.endsWith(") FROM stdin;")) {
            return rest.substring(2, rest.length() - ") FROM stdin;".length());
        }
        return null;
    }

    private void readHeader() throws IOException {
        byte[] magic = readN(5);
        if (!"PGDMP".equals(new String(magic, StandardCharsets.ISO_8859_1))) {
            throw new MalformedArchiveException("not a pg_dump custom archive (no PGDMP magic)");
        }
        int major = readByte();
        minor = readByte();
        readByte(); // revision
        if (major != 1 || minor < MIN_MINOR || minor > MAX_MINOR) {
            throw new MalformedArchiveException("unsupported archive version " + major + "." + minor
                + " (supported: 1." + MIN_MINOR + " to 1." + MAX_MINOR + ")");
        }
        intSize = readByte();
        offSize = readByte();
        if (intSize < 1 || intSize > 8 || offSize < 1 || offSize > 16) {
            throw new MalformedArchiveException("bad integer sizes " + intSize + "/" + offSize);
        }
        int format = readByte();
        if (format != 1) {
            throw new MalformedArchiveException("archive format " + format + " is not custom (1)");
        }
        int compression = minor >= 15 ? readByte() : readInt();
        if (compression != 0) {
            throw new MalformedArchiveException("archive is compressed; only -Z0 archives are scanned");
        }
        for (int i = 0; i < 7; i++) {
            readInt(); // creation time
        }
        readStr(); // database name
        readStr(); // server version
        readStr(); // pg_dump version
    }

    private void readChunks(PgCopyLineHasher hasher) throws IOException {
        while (true) {
            int len = readInt();
            if (len == 0) {
                return;
            }
            if (len < 0 || len > MAX_STRING) {
                throw new MalformedArchiveException("bad data chunk length " + len);
            }
            while (len > 0) {
                if (pos == lim && !fill()) {
                    throw new MalformedArchiveException("archive ends inside a data chunk");
                }
                int n = Math.min(len, lim - pos);
                if (hasher != null) {
                    hasher.update(buf, pos, n);
                }
                pos += n;
                len -= n;
            }
        }
    }

    /** Reads more into the empty {@link #buf} (or takes the next block); false at the end of the stream. */
    private boolean fill() throws IOException {
        if (blocks != null) {
            byte[] b;
            do {
                b = blocks.next();
                if (b == null) {
                    return false;
                }
            } while (b.length == 0);
            buf = b;
            pos = 0;
            lim = b.length;
            return true;
        }
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    private int readByte() throws IOException {
        if (pos == lim && !fill()) {
            throw new MalformedArchiveException("archive is truncated");
        }
        return buf[pos++] & 0xFF;
    }

    private int readInt() throws IOException {
        int sign;
        long v = 0;
        if (lim - pos > intSize) {
            // All in the buffer (the common case: one per COPY row): no per-byte refill checks.
            sign = buf[pos++] & 0xFF;
            for (int i = 0; i < intSize; i++) {
                v |= (long) (buf[pos++] & 0xFF) << (8 * i);
            }
        } else {
            sign = readByte();
            for (int i = 0; i < intSize; i++) {
                v |= (long) readByte() << (8 * i);
            }
        }
        if (v > Integer.MAX_VALUE) {
            throw new MalformedArchiveException("integer out of range");
        }
        return sign == 0 ? (int) v : -(int) v;
    }

    private String readStr() throws IOException {
        int len = readInt();
        if (len < 0) {
            return null;
        }
        if (len > MAX_STRING) {
            throw new MalformedArchiveException("bad string length " + len);
        }
        return new String(readN(len), StandardCharsets.UTF_8);
    }

    /** {@code n} bytes; a long one grows as it arrives, so a corrupt length does not allocate up front. */
    private byte[] readN(int n) throws IOException {
        java.io.ByteArrayOutputStream big = n > 64 * 1024 ? new java.io.ByteArrayOutputStream(64 * 1024) : null;
        byte[] b = big == null ? new byte[n] : null;
        int done = 0;
        while (done < n) {
            if (pos == lim && !fill()) {
                throw new MalformedArchiveException("archive is truncated");
            }
            int k = Math.min(n - done, lim - pos);
            if (big == null) {
                System.arraycopy(buf, pos, b, done, k);
            } else {
                big.write(buf, pos, k);
            }
            pos += k;
            done += k;
        }
        return big == null ? b : big.toByteArray();
    }

    private void skip(int n) throws IOException {
        readN(n);
    }
}
