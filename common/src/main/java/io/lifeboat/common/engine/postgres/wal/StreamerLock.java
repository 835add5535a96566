package io.lifeboat.common.engine.postgres.wal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The "exactly one streamer per database cluster" rule: a session-level PostgreSQL advisory lock held
 * on a dedicated connection for as long as the streamer runs. The server releases it when that session
 * ends for any reason (the streamer exits, crashes, or loses its network), so a dead streamer never
 * blocks its successor and no lease needs renewing. A second streamer's {@code pg_try_advisory_lock}
 * returns false and it refuses to start.
 *
 * <p>Advisory locks live in one database: every streamer of a cluster must connect to the same
 * database (the default {@code postgres}). The replication slot itself admits one receiver, which
 * backs this up across databases.
 *
 * <p>Not thread-safe; owned by one streamer.
 */
final class StreamerLock implements AutoCloseable {
    /** Lock key, first half: "LBWS" (Lifeboat WAL streamer). The second half is 0: one per cluster. */
    static final int CLASS_ID = 0x4C425753;
    static final int OBJECT_ID = 0;

    private final Connection connection;

    private StreamerLock(Connection connection) {
        this.connection = connection;
    }

    /**
     * Takes the lock on {@code connection} (which it then owns and closes with the lock).
     *
     * @throws StreamerLockedException if another session holds it (the message names that session)
     */
    static StreamerLock acquire(Connection connection, String streamerId) throws SQLException {
        try (PreparedStatement app = connection.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            app.setString(1, applicationName(streamerId));
            app.execute();
        }
        boolean got;
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + CLASS_ID + ", " + OBJECT_ID + ")")) {
            rs.next();
            got = rs.getBoolean(1);
        }
        if (!got) {
            String holder = holder(connection);
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a connection we are giving up anyway
            }
            throw new StreamerLockedException("another wal-stream already streams this cluster" + holder
                + "; only one streamer per cluster may run");
        }
        return new StreamerLock(connection);
    }

    /** The application name set on the lock session, so {@code pg_stat_activity} tells who streams. */
    static String applicationName(String streamerId) {
        String s = "lifeboat wal-stream " + streamerId;
        return s.length() > 63 ? s.substring(0, 63) : s;
    }

    private static String holder(Connection c) {
        String sql = "SELECT a.pid, a.application_name, a.client_addr::text, a.backend_start FROM pg_locks l "
            + "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
            + "AND l.classid = " + CLASS_ID + " AND l.objid = " + OBJECT_ID + " AND l.objsubid = 2 LIMIT 1";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (rs.next()) {
                String app = rs.getString(2);
                String addr = rs.getString(3);
                return " (" + (app == null || app.isEmpty() ? "session" : app) + ", server pid " + rs.getInt(1)
                    + (addr == null ? "" : ", from " + addr) + ", since " + rs.getTimestamp(4).toInstant() + ")";
            }
        } catch (SQLException e) {
            // the holder is a courtesy; the refusal stands without it
        }
        return "";
    }

    /** The connection holding the lock; also used for the streamer's status queries. */
    Connection connection() {
        return connection;
    }

    /** Whether the session (and so the lock) is still there: a round trip within {@code timeoutSeconds}. */
    boolean alive(int timeoutSeconds) {
        try {
            return connection.isValid(timeoutSeconds);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Ends the session, which releases the lock. */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server drops the lock with the session either way
        }
    }
}
