package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.crypto.ScryptAhead;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import picocli.CommandLine;

/** When the CLI derives the key ahead, and that the command then opens the repository with it. */
@Isolated
class UnlockAheadTest {
    @TempDir
    Path tmp;

    @AfterEach
    void reset() {
        ScryptAhead.reset();
    }

    private static Map<String, String> env(String repository) {
        Map<String, String> env = new HashMap<>();
        env.put("LIFEBOAT_REPOSITORY", repository);
        env.put("LIFEBOAT_PASSWORD", "pw");
        return env;
    }

    @Test
    void guessesOnlyForACommandThatOpensALocalRepositoryWithThePasswordFromTheEnvironment() {
        assertThat(UnlockAhead.repositoryToUnlock(env("/srv/repo"), new String[] {"backup", "/data"}))
            .isEqualTo(Path.of("/srv/repo"));
        assertThat(UnlockAhead.repositoryToUnlock(env("local:/srv/repo"), new String[] {"-q", "snapshots"}))
            .isEqualTo(Path.of("/srv/repo"));
        assertThat(UnlockAhead.repositoryToUnlock(env("s3:bucket/prefix"), new String[] {"snapshots"})).isNull();
        for (String[] args : new String[][] {{}, {"init"}, {"help", "backup"}, {"--version"}, {"backup", "--help"},
                {"-r", "/other", "snapshots"}, {"-r/other", "snapshots"}, {"--repo=/other", "snapshots"},
                {"snapshots", "--password-file", "f"}, {"snapshots", "--key-file=k"}, {"snapshots", "--config", "c"},
                {"snapshots", "--kms-key-id", "alias/x"}}) {
            assertThat(UnlockAhead.repositoryToUnlock(env("/srv/repo"), args)).as(String.join(" ", args)).isNull();
        }
        for (String var : new String[] {"LIFEBOAT_CONFIG", "LIFEBOAT_KEY_FILE", "LIFEBOAT_KMS_KEY_ID"}) {
            Map<String, String> env = env("/srv/repo");
            env.put(var, "x");
            assertThat(UnlockAhead.repositoryToUnlock(env, new String[] {"snapshots"})).as(var).isNull();
        }
        Map<String, String> noPassword = env("/srv/repo");
        noPassword.remove("LIFEBOAT_PASSWORD");
        assertThat(UnlockAhead.repositoryToUnlock(noPassword, new String[] {"snapshots"})).isNull();
    }

    @Test
    void everyOtherSubcommandOpensARepository() {
        CommandLine cli = new CommandLine(new LifeboatCli(new FormatBackend(), Map.of(), System.out, System.err));
        cli.getSubcommands().forEach((name, sub) -> {
            // wal-fetch opens the repository itself (PostgreSQL's restore_command; exit codes of its own)
            if (!UnlockAhead.NO_REPOSITORY_COMMANDS.contains(name) && !name.equals("wal-fetch")) {
                assertThat((Object) sub.getCommand()).as(name).isInstanceOf(RepoCommand.class);
            }
        });
    }

    @Test
    void theCommandUsesTheKeyDerivedAhead() {
        Map<String, String> env = new HashMap<>();
        Path repo = InProcessCli.localRepository(tmp.resolve("repo"), env);
        ScryptAhead.reset();
        UnlockAhead.derive(repo, "pw".toCharArray());
        assertThat(ScryptAhead.pending()).isEqualTo(1);
        InProcessCli.Result r = InProcessCli.execute(new FormatBackend(), env, "snapshots");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(ScryptAhead.pending()).isZero();
    }

    @Test
    void aWrongGuessStillOpensWithTheRightPasswordAndAWrongPasswordStillFails() {
        Map<String, String> env = new HashMap<>();
        Path repo = InProcessCli.localRepository(tmp.resolve("repo"), env);
        ScryptAhead.reset();
        UnlockAhead.derive(repo, "not-pw".toCharArray());
        assertThat(InProcessCli.execute(new FormatBackend(), env, "snapshots").code()).isZero();
        ScryptAhead.reset();
        UnlockAhead.derive(repo, "pw".toCharArray());
        env.put("LIFEBOAT_PASSWORD", "wrong");
        assertThat(InProcessCli.execute(new FormatBackend(), env, "snapshots").code()).isEqualTo(ExitCodes.WRONG_PASSWORD);
    }

    @Test
    void noRepositoryThereDerivesNothing() {
        UnlockAhead.derive(tmp.resolve("missing"), "pw".toCharArray());
        assertThat(ScryptAhead.pending()).isZero();
        assertThat(tmp.resolve("missing")).doesNotExist();
    }
}
