package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./lifeboat} launcher at the repository root, run as a real process. */
class LauncherIT {
    static final Path ROOT = BackupCrashIT.ROOT;

    @TempDir
    Path tmp;
    Path repo;

    @BeforeEach
    void init() {
        repo = tmp.resolve("repo");
        Repositories.init(new LocalObjectStore(repo), "pw".toCharArray(), InitOptions.forTests()).close();
    }

    record Result(int code, String out, String err) {
    }

    Result run(ProcessBuilder pb) throws Exception {
        Path o = Files.createTempFile(tmp, "out", ".txt");
        Path e = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(o.toFile()).redirectError(e.toFile()).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), Files.readString(o), Files.readString(e));
    }

    @Test
    void launcherScriptRunsTheCliAndErrorsAreOneLine() throws Exception {
        Path launcher = ROOT.resolve("lifeboat");
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--version");
        Result v = run(pb);
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).startsWith("lifeboat ");

        ProcessBuilder wrong = new ProcessBuilder(launcher.toString(), "snapshots");
        wrong.environment().put("LIFEBOAT_REPOSITORY", repo.toString());
        wrong.environment().put("LIFEBOAT_PASSWORD", "not the password");
        Result w = run(wrong);
        assertThat(w.code()).isEqualTo(ExitCodes.WRONG_PASSWORD);
        assertThat(w.err().lines().toList()).hasSize(1);
        assertThat(w.err()).startsWith("lifeboat: wrong password").doesNotContain("Exception");

        ProcessBuilder missing = new ProcessBuilder(launcher.toString(), "snapshots");
        missing.environment().put("LIFEBOAT_REPOSITORY", tmp.resolve("nope").toString());
        missing.environment().put("LIFEBOAT_PASSWORD", "pw");
        Result m = run(missing);
        assertThat(m.code()).isEqualTo(ExitCodes.NO_REPOSITORY);
        assertThat(m.err().lines().toList()).hasSize(1);
        assertThat(m.out()).isEmpty();
    }

    @Test
    void launcherWithoutABuildSaysSoInOneLine() throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("checkout/dev"));
        Files.copy(ROOT.resolve("dev/find-jdk.sh"), copy.resolve("find-jdk.sh"), StandardCopyOption.COPY_ATTRIBUTES);
        Path launcher = Files.copy(ROOT.resolve("lifeboat"), tmp.resolve("checkout/lifeboat"),
            StandardCopyOption.COPY_ATTRIBUTES);
        Result r = run(new ProcessBuilder(launcher.toString(), "snapshots"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("lifeboat: not built yet, run make build\n");
    }
}
