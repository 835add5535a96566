package io.lifeboat.common.engine.postgres;

import io.lifeboat.common.engine.EngineException;
import java.sql.SQLException;

/**
 * Turns JDBC failures and PostgreSQL tool output into one-line messages that say what to do. Messages
 * name the server, user and database, never the password.
 */
final class PgErrors {
    private PgErrors() {
    }

    /** Maps a JDBC failure while {@code doing} (e.g. "connecting to ...") on {@code conn}. */
    static EngineException of(SQLException e, PgConnection conn, String database, String doing) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = conn.user() + "@" + conn.host() + ":" + conn.port() + "/" + database;
        String msg = switch (state) {
            case "28P01" -> "wrong password for PostgreSQL user '" + conn.user() + "' at " + conn.host() + ":"
                + conn.port();
            case "28000" -> "PostgreSQL refused the login of '" + conn.user() + "' to database '" + database
                + "' (pg_hba.conf or role): " + first(e);
            case "3D000" -> "database '" + database + "' does not exist on " + conn.host() + ":" + conn.port();
            case "42501" -> first(e).contains("row-level security")
                ? "row-level security hides rows from '" + conn.user() + "' while " + doing + ": " + first(e)
                    + " (give the role BYPASSRLS, or run as the table owner or a superuser)"
                : "permission denied while " + doing + " as '" + conn.user() + "': " + first(e)
                + " (needs pg_read_all_data or superuser to back up, CREATEDB or ownership to restore)";
            case "53100" -> "disk full on the PostgreSQL server " + conn.host() + ":" + conn.port() + " while " + doing + ": " + first(e);
            default -> state.startsWith("08")
                ? "cannot connect to PostgreSQL at " + conn.host() + ":" + conn.port() + ": " + first(e)
                : "PostgreSQL error while " + doing + " (" + where + "): " + first(e);
        };
        return new EngineException(msg, e);
    }

    /** Maps a failed tool run from the tail of its standard error. */
    static EngineException ofTool(String tool, int exitCode, String stderr, PgConnection conn, String database) {
        String s = stderr == null ? "" : stderr;
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        String msg;
        if (lower.contains("password authentication failed") || lower.contains("no password supplied")) {
            msg = "wrong password for PostgreSQL user '" + conn.user() + "' at " + conn.host() + ":" + conn.port();
        } else if (lower.contains("row-level security")) {
            // pg_dump runs with row_security off, so a policy that would hide rows fails it instead.
            msg = "row-level security hides rows from '" + conn.user() + "' while reading database '" + database
                + "': " + excerpt(s, "row-level security") + " (give the role BYPASSRLS, or run as the table owner "
                + "or a superuser)";
        } else if (lower.contains("permission denied")) {
            msg = tool + ": permission denied for '" + conn.user() + "' on database '" + database + "': "
                + excerpt(s, "permission denied")
                + " (needs pg_read_all_data or superuser to back up, CREATEDB or ownership to restore)";
        } else if (lower.contains("server version mismatch")) {
            msg = tool + " is older than the server: " + excerpt(s, "server version");
        } else if (lower.contains("no space left on device") || lower.contains("could not extend file")
                || lower.contains("disk full")) {
            msg = "disk full on the PostgreSQL server " + conn.host() + ":" + conn.port() + " while " + tool
                + " wrote to database '" + database + "': " + excerpt(s, "space");
        } else if (lower.contains("already exists")) {
            msg = tool + ": an object being restored already exists in database '" + database + "' ("
                + excerpt(s, "already exists") + "); restore into another database, or add --clean to drop "
                + "and replace only the objects being restored";
        } else {
            msg = tool + " failed with exit code " + exitCode + " on database '" + database + "'"
                + (s.isEmpty() ? "" : ": " + s);
        }
        return new EngineException(msg);
    }

    private static String first(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The " | "-separated part of a tool's error tail that mentions {@code key}. */
    private static String excerpt(String tail, String key) {
        for (String part : tail.split(" \\| ")) {
            if (part.toLowerCase(java.util.Locale.ROOT).contains(key)) {
                return part.strip();
            }
        }
        return tail;
    }
}
