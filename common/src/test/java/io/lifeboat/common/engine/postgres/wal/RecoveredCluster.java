package io.lifeboat.common.engine.postgres.wal;

import io.lifeboat.common.engine.postgres.PgConnection;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A cluster recovered to the end of the archived WAL: a base backup, a {@code restore_command}
 * copying from a directory the test fills from the {@link WalArchive} (what {@code lifeboat wal-fetch}
 * serves), {@code recovery.signal}, latest timeline. Lives in its own directory under /var/tmp (the
 * server's user cannot enter root's temp dir) on a free port; removed on close.
 */
final class RecoveredCluster implements AutoCloseable {
    private final PgCluster origin;
    private final Path dir;
    private final Path data;
    private final int port;
    private boolean started;

    private RecoveredCluster(PgCluster origin, Path dir, int port) {
        this.origin = origin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    /** Copies {@code baseBackup}, writes the archive's WAL next to it, starts it and waits for the end of recovery. */
    static RecoveredCluster recover(PgCluster origin, Path baseBackup, WalArchive archive) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "lifeboat-walstream-it-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RecoveredCluster r = new RecoveredCluster(origin, dir, port);
        PgCluster.run(java.util.List.of("cp", "-a", baseBackup.toString(), r.data.toString()), java.util.Map.of());
        Path wal = dir.resolve("archive");
        Files.createDirectories(wal);
        for (WalSegmentRef ref : archive.list()) {
            // A partial segment is served under its segment name when the complete one is missing, as wal-fetch does.
            archive.fetch(ref.segment()).ifPresent(b -> write(wal.resolve(ref.segment()), b));
        }
        for (int tli : archive.historyTimelines()) {
            String name = String.format("%08X.history", tli);
            archive.fetch(name).ifPresent(b -> write(wal.resolve(name), b));
        }
        Files.createDirectories(dir.resolve("socket"));
        Files.writeString(r.data.resolve("postgresql.auto.conf"), "\n# recovery test\nport = " + port
            + "\nunix_socket_directories = '" + dir.resolve("socket") + "'\nlisten_addresses = '127.0.0.1'\n"
            + "restore_command = 'cp " + wal + "/%f %p'\nrecovery_target_timeline = 'latest'\n"
            + "synchronous_standby_names = ''\n", StandardOpenOption.APPEND);
        Files.createFile(r.data.resolve("recovery.signal"));
        Files.deleteIfExists(r.data.resolve("postmaster.pid"));
        PgCluster.asServerUser(dir);
        PgCluster.asServerUser(r.data);
        origin.pgCtl("-D", r.data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "120", "start");
        r.started = true;
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> "f".equals(r.query("SELECT pg_is_in_recovery()")));
        return r;
    }

    private static void write(Path p, byte[] b) {
        try {
            Files.write(p, b);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Connection open() throws SQLException {
        return new PgConnection("127.0.0.1", port, origin.conn.user(), "postgres", origin.conn.hasPassword()
            ? passwordOf(origin) : null).open("postgres");
    }

    private static String passwordOf(PgCluster c) {
        return c.server.get("LIFEBOAT_PG_PASSWORD");
    }

    String query(String sql) throws SQLException {
        try (Connection c = open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws Exception {
        if (started) {
            try {
                origin.pgCtl("-D", data.toString(), "-m", "immediate", "-w", "stop");
            } catch (RuntimeException e) {
                // already down
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
