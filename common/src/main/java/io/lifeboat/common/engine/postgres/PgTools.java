package io.lifeboat.common.engine.postgres;

import io.lifeboat.common.engine.ChildProcess;
import io.lifeboat.common.engine.EngineException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL client tools and their command lines. Every command line built here holds names and
 * flags only: connection secrets travel in the child's environment ({@link PgConnection#childEnvironment}),
 * and {@code --no-password} makes a tool fail instead of waiting for a password on a terminal.
 *
 * <p>Immutable and thread-safe.
 */
public final class PgTools {
    /** pg_dump dumps servers from this major version up to its own. */
    static final int OLDEST_DUMPABLE_MAJOR = 9;
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    private final Path binDir;

    /** @param binDir directory holding pg_dump, pg_dumpall and pg_restore, or null to use the PATH */
    public PgTools(Path binDir) {
        this.binDir = binDir;
    }

    /** The path (or PATH name) of one PostgreSQL tool. */
    public String tool(String name) {
        return binDir == null ? name : binDir.resolve(name).toString();
    }

    /** The major version of a tool, from its {@code --version} output. */
    public int majorVersion(String name) {
        ChildProcess.Outcome<String> out = ChildProcess.readStdout(List.of(tool(name), "--version"), Map.of(),
            in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        if (!out.ok()) {
            throw new EngineException(name + " --version failed with code " + out.exitCode() + ": " + out.stderr());
        }
        return parseMajor(out.value());
    }

    /** The full version line of a tool, e.g. {@code pg_dump (PostgreSQL) 15.20}. */
    public String versionLine(String name) {
        ChildProcess.Outcome<String> out = ChildProcess.readStdout(List.of(tool(name), "--version"), Map.of(),
            in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        if (!out.ok()) {
            throw new EngineException(name + " --version failed with code " + out.exitCode() + ": " + out.stderr());
        }
        return out.value().strip();
    }

    /**
     * How a dump's standard output is buffered: {@code stdbuf -o 1M} (GNU coreutils) makes pg_dump write
     * its archive in 1 MiB blocks instead of stdio's 4 KiB to a pipe, so the reader wakes for 64 KiB
     * reads (a full pipe) instead of one per 4 KiB: about 125,000 fewer writes and reader wake-ups for a
     * 500 MB dump. The bytes are the same either way.
     */
    static final List<String> STDBUF = List.of("stdbuf", "-o", "1M");

    /**
     * pg_dump's version line, and whether pg_dump runs under {@link #STDBUF} here: it does when
     * {@code stdbuf -o 1M pg_dump --version} works (stdbuf exists and can preload its library);
     * otherwise pg_dump's own {@code --version} answers and dumps run without it.
     */
    record DumpTool(String versionLine, boolean buffered) {
    }

    /** Runs {@code pg_dump --version}, through {@link #STDBUF} when that works ({@link DumpTool}). */
    DumpTool dumpTool() {
        List<String> command = new ArrayList<>(STDBUF);
        command.add(tool("pg_dump"));
        command.add("--version");
        try {
            ChildProcess.Outcome<String> out = ChildProcess.readStdout(command, Map.of(),
                in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (out.ok() && VERSION.matcher(out.value()).find()) {
                return new DumpTool(out.value().strip(), true);
            }
        } catch (EngineException e) {
            // No stdbuf here: pg_dump alone.
        }
        return new DumpTool(versionLine("pg_dump"), false);
    }

    /** Parses {@code pg_dump (PostgreSQL) 15.20 (Debian ...)} to 15 (and {@code 9.6.24} to 9). */
    static int parseMajor(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        if (!m.find()) {
            throw new EngineException("cannot tell the version of the PostgreSQL tools from '"
                + versionOutput.strip() + "'");
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * Refuses a pg_dump older than the server: pg_dump reads servers from 9.2 up to its own major
     * version only.
     *
     * @param serverVersionNum {@code server_version_num}, e.g. 150020
     */
    static void checkDumpSupports(int dumpMajor, int serverVersionNum) {
        int serverMajor = serverVersionNum / 10000;
        if (dumpMajor < serverMajor) {
            throw new EngineException("pg_dump " + dumpMajor + " cannot dump a PostgreSQL " + serverMajor
                + " server: pg_dump " + dumpMajor + " supports servers 9.2 to " + dumpMajor
                + "; install the PostgreSQL " + serverMajor + " client tools (or newer) and point --pg-bin at them");
        }
    }

    /** Refuses a pg_restore older than the pg_dump that wrote the archive. */
    static void checkRestoreSupports(int restoreMajor, int dumpMajor) {
        if (restoreMajor < dumpMajor) {
            throw new EngineException("pg_restore " + restoreMajor + " cannot read an archive written by pg_dump "
                + dumpMajor + "; use pg_restore " + dumpMajor + " or newer (--pg-bin)");
        }
    }

    /** A libpq conninfo naming only the database, quoted so any name is taken literally. */
    static String dbConninfo(String database) {
        return "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** {@code pg_dump} of one database in custom format, uncompressed, inside an exported snapshot. */
    List<String> dumpCommand(String database, String snapshotId) {
        return dumpCommand(database, snapshotId, false);
    }

    /** As {@link #dumpCommand(String, String)}, under {@link #STDBUF} when {@code buffered}. */
    List<String> dumpCommand(String database, String snapshotId, boolean buffered) {
        List<String> c = new ArrayList<>(buffered ? STDBUF : List.of());
        c.addAll(List.of(tool("pg_dump"), "--format=custom", "--compress=0", "--no-password"));
        if (snapshotId != null) {
            c.add("--snapshot=" + snapshotId);
        }
        c.add("--dbname=" + dbConninfo(database));
        return c;
    }

    /** {@code pg_dumpall --globals-only}: roles and tablespaces. */
    List<String> globalsCommand(String database) {
        return List.of(tool("pg_dumpall"), "--globals-only", "--no-password", "--dbname=" + dbConninfo(database));
    }

    /**
     * {@code pg_restore} reading an archive from standard input, in one transaction (a failure leaves
     * the target as it was).
     *
     * @param schemas {@code -n} names, empty for all
     * @param tables {@code -t} names (unqualified: pg_restore matches table names within {@code schemas})
     */
    List<String> restoreCommand(String database, List<String> schemas, List<String> tables, boolean schemaOnly,
            boolean clean, boolean noOwner) {
        return restoreCommand(database, schemas, tables, schemaOnly, clean, noOwner, 1, null);
    }

    /**
     * {@code pg_restore} as {@link #restoreCommand(String, List, List, boolean, boolean, boolean)}, or, with
     * {@code jobs > 1}, in parallel from {@code archive} ({@code --jobs} needs a seekable file and cannot run
     * in one transaction, so it replaces {@code --single-transaction}).
     *
     * @param archive the archive file, or null to read standard input (then {@code jobs} must be 1)
     */
    List<String> restoreCommand(String database, List<String> schemas, List<String> tables, boolean schemaOnly,
            boolean clean, boolean noOwner, int jobs, Path archive) {
        if (jobs > 1 && archive == null) {
            throw new IllegalArgumentException("pg_restore --jobs needs an archive file");
        }
        List<String> c = new ArrayList<>(List.of(tool("pg_restore"), "--no-password",
            jobs > 1 ? "--jobs=" + jobs : "--single-transaction", "--exit-on-error", "--dbname=" + dbConninfo(database)));
        if (schemaOnly) {
            c.add("--schema-only");
        }
        if (clean) {
            c.add("--clean");
            c.add("--if-exists");
        }
        if (noOwner) {
            c.add("--no-owner");
        }
        for (String s : schemas) {
            c.add("--schema=" + s);
        }
        for (String t : tables) {
            c.add("--table=" + t);
        }
        if (archive != null) {
            c.add(archive.toString());
        }
        return c;
    }

    /** {@code pg_restore --list}: the archive's table of contents, read from standard input. */
    List<String> listCommand() {
        return List.of(tool("pg_restore"), "--list");
    }

    /** {@code pg_restore --list} of an archive file, or of standard input when {@code archive} is null. */
    List<String> listCommand(Path archive) {
        return archive == null ? listCommand() : List.of(tool("pg_restore"), "--list", archive.toString());
    }

    /** {@code pg_restore} of exactly the entries in {@code listFile}, in one transaction. */
    List<String> restoreListCommand(String database, Path listFile, boolean schemaOnly, boolean clean, boolean noOwner) {
        return restoreListCommand(database, listFile, schemaOnly, clean, noOwner, 1, null);
    }

    /** {@code pg_restore} of exactly the entries in {@code listFile}, as {@link #restoreCommand} with jobs. */
    List<String> restoreListCommand(String database, Path listFile, boolean schemaOnly, boolean clean, boolean noOwner,
            int jobs, Path archive) {
        List<String> c = new ArrayList<>(restoreCommand(database, List.of(), List.of(), schemaOnly, clean, noOwner, jobs,
            archive));
        c.add(archive == null ? c.size() : c.size() - 1, "--use-list=" + listFile);
        return c;
    }
}
