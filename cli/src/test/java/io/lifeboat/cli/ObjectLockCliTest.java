package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Object Lock flags and {@code --from-versions} where the store cannot honour them: one clear line, no repository. */
class ObjectLockCliTest {
    @TempDir
    Path tmp;
    final Map<String, String> env = new HashMap<>();
    String out;
    String err;

    @BeforeEach
    void setUp() {
        env.put("LIFEBOAT_REPOSITORY", "local:" + tmp.resolve("repo"));
        env.put("LIFEBOAT_PASSWORD", "pw");
    }

    int run(String... args) {
        InProcessCli.Result r = InProcessCli.execute(new FormatBackend(env), env, args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    @Test
    void initWithObjectLockOnADirectoryFailsWithOneLineAndCreatesNothing() {
        assertThat(run("init", "--object-lock-days", "30")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.strip()).startsWith("lifeboat: object lock (COMPLIANCE, 30 days) needs a store with S3 Object Lock")
            .doesNotContain("\n");
        assertThat(tmp.resolve("repo/config")).doesNotExist();
    }

    @Test
    void objectLockFlagsAreChecked() {
        assertThat(run("init", "--object-lock-days", "3", "--object-lock-duration", "PT20S")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("not both");
        assertThat(run("init", "--object-lock-duration", "20 seconds")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("ISO-8601 duration");
        assertThat(run("init", "--object-lock-duration", "PT0S")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("between 1 second and 100 years");
        assertThat(run("init", "--object-lock-days", "7", "--object-lock-mode", "LEGAL")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("COMPLIANCE or GOVERNANCE");
        assertThat(tmp.resolve("repo/config")).doesNotExist();
    }

    @Test
    void fromVersionsOnAStoreWithoutVersionsSaysSo() {
        io.lifeboat.common.repository.Repositories.init(new io.lifeboat.common.store.local.LocalObjectStore(tmp.resolve("repo")),
            "pw".toCharArray(), io.lifeboat.common.repository.InitOptions.forTests()).close();
        for (String[] cmd : new String[][] {{"snapshots", "--from-versions"}, {"check", "--from-versions"},
                {"restore", "latest", "--from-versions", "--target", tmp.resolve("r").toString()}, {"ls", "latest", "--from-versions"}}) {
            assertThat(run(cmd)).as(String.join(" ", cmd)).isEqualTo(ExitCodes.FAILURE);
            assertThat(err.strip()).contains("keeps no object versions").doesNotContain("\n");
        }
        assertThat(run("check")).as(out + err).isZero();
    }
}
