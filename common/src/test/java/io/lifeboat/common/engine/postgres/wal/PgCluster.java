package io.lifeboat.common.engine.postgres.wal;

import io.lifeboat.common.engine.postgres.PgConnection;
import io.lifeboat.testing.LocalInfra;
import io.lifeboat.testing.PrivateServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private, throwaway PostgreSQL cluster for WAL tests (dev/infra.sh start-private, own port, never
 * the shared one or the machine's 5432), plus what the tests do to it as the server's OS user: kill
 * the postmaster, take a base backup, start a recovered copy.
 */
final class PgCluster implements AutoCloseable {
    final PrivateServer server;
    final PgConnection conn;
    final Path bin;

    PgCluster(Path dir) {
        server = LocalInfra.startPrivate("postgres", dir);
        conn = new PgConnection(server.get("LIFEBOAT_PG_HOST"), Integer.parseInt(server.get("LIFEBOAT_PG_PORT")),
            server.get("LIFEBOAT_PG_USER"), "postgres", server.get("LIFEBOAT_PG_PASSWORD"));
        bin = Path.of(server.get("LIFEBOAT_PG_BIN"));
    }

    Path dataDir() throws IOException {
        return server.dir().resolve("cluster").toRealPath().resolve("data");
    }

    Connection open() throws SQLException {
        return conn.open("postgres");
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = open(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    String query(String sql) throws SQLException {
        try (Connection c = open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** kill -9 of the postmaster: the hard crash. */
    void killPostmaster() throws Exception {
        String pid = Files.readAllLines(dataDir().resolve("postmaster.pid")).get(0).strip();
        run(List.of("kill", "-9", pid), Map.of());
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    }

    /** A base backup with its own WAL (-X stream) into {@code target}, readable by the server's user. */
    void baseBackup(Path target) throws Exception {
        run(List.of(bin.resolve("pg_basebackup").toString(), "-D", target.toString(), "-X", "stream", "-c", "fast",
            "--no-password"), conn.childEnvironment());
        asServerUser(target);
    }

    /** Makes {@code dir} the server user's (PostgreSQL refuses to run as root). */
    static void asServerUser(Path dir) throws Exception {
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), Map.of());
        }
        run(List.of("chmod", "700", dir.toString()), Map.of());
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs pg_ctl (as the server user when root). */
    void pgCtl(String... args) throws Exception {
        List<String> c = new ArrayList<>();
        if (isRoot()) {
            c.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        c.add(bin.resolve("pg_ctl").toString());
        c.addAll(List.of(args));
        run(c, Map.of());
    }

    static String run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().putAll(env);
        Process p = b.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size())))
                + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    /** Stops the server (if the test left it running) and removes its cluster directory, which may lie outside the test's temp dir. */
    @Override
    public void close() {
        Path cluster = null;
        try {
            cluster = server.dir().resolve("cluster").toRealPath();
        } catch (IOException e) {
            // nothing was created
        }
        try {
            server.close();
        } catch (RuntimeException e) {
            // the server may already be dead (killed by the test)
        }
        if (cluster != null && cluster.toString().startsWith("/var/tmp/lifeboat-pg-")) {
            try {
                run(List.of("rm", "-rf", cluster.toString()), Map.of());
            } catch (Exception e) {
                // best effort: a leftover under /var/tmp does no harm to other tests
            }
        }
    }
}
