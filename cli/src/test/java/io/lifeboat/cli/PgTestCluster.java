package io.lifeboat.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A private, throwaway PostgreSQL cluster for tests (initdb into its own directory, own port, socket in
 * its directory, trust on 127.0.0.1), run as the {@code postgres} user when the test runs as root.
 * Never touches the machine's own server or the shared one.
 */
final class PgTestCluster implements AutoCloseable {
    static final Path BIN = Path.of(System.getenv().getOrDefault("LIFEBOAT_PG_BIN", "/usr/lib/postgresql/15/bin"));
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    final Path dir;
    final Path data;
    final int port;

    private PgTestCluster(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    /** A world-traversable directory under /var/tmp (the server's user must reach it), owned by that user. */
    static Path sharedDir(String prefix) throws Exception {
        Path d = Files.createTempDirectory(Path.of("/var/tmp"), prefix);
        Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        chown(d);
        return d;
    }

    static void chown(Path p) throws Exception {
        if (ROOT) {
            exec(List.of("chown", "-R", "postgres:", p.toString()));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static PgTestCluster create(Path dir, String extraConf) throws Exception {
        PgTestCluster c = new PgTestCluster(dir, freePort());
        asPostgres(List.of(BIN.resolve("initdb").toString(), "-D", c.data.toString(), "-U", "postgres", "-E", "UTF8",
            "--locale=C.UTF-8", "--auth-local=peer", "--auth-host=trust"));
        String conf = "\nport = " + c.port + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" + dir + "'\n"
            + "wal_level = replica\nmax_wal_senders = 5\nshared_buffers = 32MB\nfsync = off\nlogging_collector = off\n" + extraConf + "\n";
        Path tmp = Files.createTempFile("pgconf", ".conf");
        Files.writeString(tmp, conf);
        asPostgres(List.of("bash", "-c", "cat '" + tmp + "' >> '" + c.data.resolve("postgresql.conf") + "'"), tmp);
        c.start();
        return c;
    }

    void start() throws Exception {
        asPostgres(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w",
            "-t", "60", "start"));
    }

    void stop() throws Exception {
        asPostgres(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"));
    }

    Connection connect(String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, p);
    }

    String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops a server started on {@code dataDir} (immediate mode) if one runs; never fails. */
    static void stopQuietly(Path dataDir) {
        try {
            asPostgres(List.of(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "stop"));
        } catch (Exception e) {
            // not running
        }
    }

    static void asPostgres(List<String> cmd, Path... readable) throws Exception {
        for (Path r : readable) {
            chown(r);
        }
        List<String> c = new ArrayList<>();
        if (ROOT) {
            c.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        c.addAll(cmd);
        exec(c);
    }

    static String exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } catch (Exception e) {
            // already stopped
        }
    }
}
