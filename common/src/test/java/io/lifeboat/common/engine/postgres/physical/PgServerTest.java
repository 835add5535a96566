package io.lifeboat.common.engine.postgres.physical;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.engine.postgres.PgTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgServerTest {
    @TempDir
    Path dir;

    /** postmaster.pid as PostgreSQL writes it: pid, data directory, start time, port, socket dir, listen address, shmem key, status. */
    private void lockFile(String... status) throws Exception {
        StringBuilder b = new StringBuilder("4242\n" + dir + "\n1763870590\n25443\n" + dir + "\n127.0.0.1\n  1234567     98304\n");
        for (String s : status) {
            b.append(s).append('\n');
        }
        Files.writeString(dir.resolve("postmaster.pid"), b);
    }

    @Test
    void acceptsConnectionsOnlyWhenTheLockFileSaysReadyOrStandby() throws Exception {
        PgServer server = new PgServer(new PgTools(Path.of("/nonexistent")), dir, null, Map.of());
        assertThat(server.acceptsConnections()).as("no lock file yet").isFalse();
        lockFile();
        assertThat(server.acceptsConnections()).as("listening, status not written yet").isFalse();
        lockFile("starting");
        assertThat(server.acceptsConnections()).isFalse();
        lockFile("stopping");
        assertThat(server.acceptsConnections()).isFalse();
        lockFile("standby ");
        assertThat(server.acceptsConnections()).as("hot standby during recovery").isTrue();
        lockFile("ready   ");
        assertThat(server.acceptsConnections()).isTrue();
        Files.writeString(dir.resolve("postmaster.pid"), "4242\n");
        assertThat(server.acceptsConnections()).as("a lock file being written").isFalse();
    }
}
