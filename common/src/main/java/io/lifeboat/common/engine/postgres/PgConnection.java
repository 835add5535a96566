package io.lifeboat.common.engine.postgres;

import io.lifeboat.common.engine.EngineException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where and as whom to connect to a PostgreSQL server, resolved like libpq does: a
 * {@code postgresql://user@host:port/db} URI wins over {@code PGHOST}, {@code PGPORT}, {@code PGUSER},
 * {@code PGDATABASE}; the password comes from a password file, else {@code PGPASSWORD}, else the
 * matching line of {@code PGPASSFILE} (default {@code ~/.pgpass}).
 *
 * <p>Secrets: a URI holding a password is refused (it would sit on a command line); the password is
 * handed to JDBC as a property and to child tools as {@code PGPASSWORD} in their environment only;
 * {@link #toString} never shows it. Immutable and thread-safe.
 */
public final class PgConnection {
    private final String host;
    private final int port;
    private final String user;
    private final String database;
    private final String password;

    public PgConnection(String host, int port, String user, String database, String password) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.user = Objects.requireNonNull(user, "user");
        this.database = Objects.requireNonNull(database, "database");
        this.password = password;
    }

    /**
     * Resolves a connection from an optional URI, the environment and an optional password file.
     *
     * @throws IllegalArgumentException for a malformed URI or one that holds a password
     * @throws EngineException if the password file cannot be read
     */
    public static PgConnection resolve(String uri, Map<String, String> env, Path passwordFile) {
        String host = env.getOrDefault("PGHOST", "localhost");
        int port = env.containsKey("PGPORT") ? parsePort(env.get("PGPORT")) : 5432;
        String user = env.getOrDefault("PGUSER",
            env.getOrDefault("USER", System.getProperty("user.name", "postgres")));
        String db = env.getOrDefault("PGDATABASE", "postgres");
        if (uri != null && !uri.isBlank()) {
            URI u;
            try {
                u = new URI(uri);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("malformed PostgreSQL URI (expected postgresql://user@host:port/database)");
            }
            if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme())) {
                throw new IllegalArgumentException("PostgreSQL URI must start with postgresql://");
            }
            String info = u.getRawUserInfo();
            if (info != null) {
                if (info.contains(":")) {
                    throw new IllegalArgumentException("the PostgreSQL URI holds a password; give it in a password file "
                        + "or PGPASSWORD instead, never on a command line");
                }
                user = URLDecoder.decode(info, StandardCharsets.UTF_8);
            }
            if (u.getHost() != null) {
                host = u.getHost();
            }
            if (u.getPort() > 0) {
                port = u.getPort();
            }
            String path = u.getRawPath();
            if (path != null && path.length() > 1) {
                db = URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
            }
        }
        String password = null;
        if (passwordFile != null) {
            password = firstLine(passwordFile);
        } else if (env.get("PGPASSWORD") != null) {
            password = env.get("PGPASSWORD");
        } else {
            Path pass = env.containsKey("PGPASSFILE") ? Path.of(env.get("PGPASSFILE"))
                : Path.of(System.getProperty("user.home"), ".pgpass");
            if (Files.isReadable(pass)) {
                try {
                    password = PgPassFile.lookup(Files.readString(pass), host, port, db, user).orElse(null);
                } catch (IOException e) {
                    throw new EngineException("cannot read the password file " + pass + ": " + e.getMessage());
                }
            }
        }
        return new PgConnection(host, port, user, db, password);
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PGPORT is not a number");
        }
    }

    private static String firstLine(Path file) {
        try {
            String text = Files.readString(file);
            int nl = text.indexOf('\n');
            String line = nl < 0 ? text : text.substring(0, nl);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            throw new EngineException("cannot read the PostgreSQL password file " + file + ": " + e.getMessage());
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    /** The database to connect to for server-wide questions (listing, creating databases). */
    public String database() {
        return database;
    }

    public boolean hasPassword() {
        return password != null;
    }

    /** Same server and credentials, another database. */
    public PgConnection withDatabase(String db) {
        return new PgConnection(host, port, user, db, password);
    }

    /**
     * The JDBC driver's classes a first {@link #open} loads and initialises (about 150 with their
     * dependencies: a tenth of a second of class loading and verification on a small machine).
     */
    private static final java.util.List<String> DRIVER_CLASSES = java.util.List.of("org.postgresql.jdbc.PgConnection",
        "org.postgresql.core.v3.ConnectionFactoryImpl", "org.postgresql.core.v3.QueryExecutorImpl", "org.postgresql.core.PGStream",
        "org.postgresql.core.Parser", "org.postgresql.core.SetupQueryRunner", "org.postgresql.hostchooser.HostChooserFactory",
        "org.postgresql.core.SocketFactoryFactory", "org.postgresql.jdbc.TypeInfoCache", "org.postgresql.jdbc.TimestampUtils",
        "org.postgresql.jdbc.PgStatement", "org.postgresql.jdbc.PgResultSet", "org.postgresql.util.LazyCleaner",
        "org.postgresql.util.LazyCleanerImpl", "org.postgresql.jdbc.PgConnectionCleaningAction", "org.postgresql.util.LruCache",
        "org.postgresql.core.CachedQueryCreateAction", "org.postgresql.core.NativeQuery", "org.postgresql.core.v3.SimpleQuery",
        "org.postgresql.core.v3.SimpleParameterList", "org.postgresql.core.CommandCompleteParser",
        "org.postgresql.core.v3.adaptivefetch.AdaptiveFetchCache", "org.postgresql.core.v3.replication.V3ReplicationProtocol",
        "org.postgresql.hostchooser.GlobalHostStatusTracker", "org.postgresql.core.v3.ExecuteRequest",
        "org.postgresql.jdbc.QueryExecutorTimeZoneProvider", "org.postgresql.jdbc.FieldMetadata", "org.postgresql.core.Tuple",
        "org.postgresql.geometric.PGbox", "org.postgresql.geometric.PGcircle", "org.postgresql.geometric.PGline",
        "org.postgresql.geometric.PGlseg", "org.postgresql.geometric.PGpath", "org.postgresql.geometric.PGpoint",
        "org.postgresql.geometric.PGpolygon", "org.postgresql.util.PGmoney", "org.postgresql.util.PGInterval");

    /**
     * Loads and initialises the JDBC driver (its registration and the classes of a connection) on a daemon
     * thread, so the first {@link #open} of a command that connects late (a restore, once its server is up)
     * does not wait for that. Harmless when repeated or when a class is missing: the connection then loads it.
     *
     * @return the started thread (tests join it)
     */
    public static Thread warmUpDriverInBackground() {
        Thread t = new Thread(() -> {
            DriverManager.getDrivers();
            ClassLoader loader = PgConnection.class.getClassLoader();
            for (String name : DRIVER_CLASSES) {
                try {
                    Class.forName(name, true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    // Only a warm-up: open() loads what it needs.
                }
            }
        }, "lifeboat-jdbc-warmup");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The class names {@link #warmUpDriverInBackground} loads. */
    static java.util.List<String> driverClasses() {
        return DRIVER_CLASSES;
    }

    /** Opens a JDBC connection to {@code db}; the caller maps failures with {@link PgErrors#of}. */
    public Connection open(String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "lifeboat");
        p.setProperty("connectTimeout", "10");
        String url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
            + URLEncoder.encode(db, StandardCharsets.UTF_8);
        return DriverManager.getConnection(url, p);
    }

    /**
     * The environment for {@code pg_dump}, {@code pg_dumpall} and {@code pg_restore}: where to connect
     * and, when known, the password. The database is given on the command line (it is no secret).
     */
    public Map<String, String> childEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGUSER", user);
        env.put("PGAPPNAME", "lifeboat");
        env.put("PGCONNECT_TIMEOUT", "10");
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        return env;
    }

    /** {@code user@host:port/database}; never the password. */
    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + database;
    }
}
