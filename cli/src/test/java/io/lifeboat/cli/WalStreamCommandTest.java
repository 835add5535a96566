package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wal-stream's and wal-status's refusals and empty answers, without a server. */
class WalStreamCommandTest {
    @TempDir
    Path tmp;
    final Map<String, String> env = new HashMap<>();
    String out;
    String err;

    @BeforeEach
    void setUp() {
        InProcessCli.localRepository(tmp.resolve("repo"), env);
    }

    int run(String... args) {
        InProcessCli.Result r = InProcessCli.execute(new FormatBackend(), env, args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    @Test
    void badFlagsAreUsageErrorsOnOneLine() {
        assertThat(run("wal-stream")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("no cluster given");
        assertThat(run("wal-stream", "--cluster", "main", "--partial-interval", "9")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines()).singleElement().asString().contains("--partial-interval must be 1 to 5 seconds");
        assertThat(run("wal-stream", "--cluster", "main", "--slot", "Bad-Slot")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines()).singleElement().asString().contains("replication slot name 'Bad-Slot'");
        assertThat(run("wal-stream", "--cluster", "main", "--dsn", "postgresql://u:secret@h/db")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("holds a password").doesNotContain("secret");
    }

    @Test
    void anUnreachableServerFailsWithOneLine() {
        assertThat(run("wal-stream", "--cluster", "main", "--dsn", "postgresql://u@127.0.0.1:1/postgres",
            "--spool", tmp.resolve("spool").toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.lines()).singleElement().asString().startsWith("lifeboat: cannot connect to PostgreSQL at u@127.0.0.1:1/postgres");
    }

    @Test
    void statusOfAnEmptyArchiveSaysSo() {
        assertThat(run("wal-status", "--cluster", "main")).isZero();
        assertThat(out).contains("no status written").contains("recoverable from: nothing: no base backup");
        assertThat(run("--json", "wal-status", "--cluster", "main")).isZero();
        assertThat(out).contains("\"status\":null").contains("\"earliest_recoverable\":null").contains("\"segments\":0");
    }
}
