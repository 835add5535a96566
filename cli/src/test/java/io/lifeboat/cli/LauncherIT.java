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

    /**
     * A checkout whose AOT cache the launcher takes for fresh (stamp and times match) but that the
     * JVM cannot use, here garbage: the run works and standard error says nothing about it. The
     * same with a stale cache (the jar is newer), which the launcher skips for its CDS archive, and
     * with an archive of the caller's own in LIFEBOAT_JAVA_OPTS (the JVM refuses both at once).
     */
    @Test
    void anUnusableOrStaleAotCacheNeverBreaksARunNorPrintsWarnings() throws Exception {
        Path checkout = tmp.toRealPath().resolve("checkout");
        Path target = Files.createDirectories(checkout.resolve("cli/target"));
        Files.createDirectories(checkout.resolve("dev"));
        Files.copy(ROOT.resolve("dev/find-jdk.sh"), checkout.resolve("dev/find-jdk.sh"), StandardCopyOption.COPY_ATTRIBUTES);
        Path launcher = Files.copy(ROOT.resolve("lifeboat"), checkout.resolve("lifeboat"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(ROOT.resolve("cli/target/lifeboat-cli.jar"), target.resolve("lifeboat-cli.jar"),
            StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(target.resolve("lib"), ROOT.resolve("cli/target/lib").toAbsolutePath());
        Result jdk = run(new ProcessBuilder(checkout.resolve("dev/find-jdk.sh").toString()));
        Files.writeString(target.resolve("lifeboat.aot.stamp"), jdk.out().strip() + " " + checkout + "\n");
        byte[] garbage = new byte[1 << 20];
        new java.util.Random(1).nextBytes(garbage);
        Files.write(target.resolve("lifeboat.aot"), garbage);

        for (String state : new String[] {"unusable", "own archive", "stale"}) {
            if (state.equals("stale")) {
                Files.setLastModifiedTime(target.resolve("lifeboat-cli.jar"),
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            }
            ProcessBuilder version = new ProcessBuilder(launcher.toString(), "--version");
            if (state.equals("own archive")) { // as dev/demo.sh gives archive_command
                version.environment().put("LIFEBOAT_JAVA_OPTS", "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="
                    + tmp.resolve("own.jsa") + " -Xlog:cds=off -Xlog:cds+dynamic=off");
            }
            Result v = run(version);
            assertThat(v.code()).as(state + ": " + v.err()).isZero();
            assertThat(v.out()).as(state).startsWith("lifeboat ");
            assertThat(v.err()).as(state).isEmpty();

            ProcessBuilder wrong = new ProcessBuilder(launcher.toString(), "snapshots");
            wrong.environment().put("LIFEBOAT_REPOSITORY", repo.toString());
            wrong.environment().put("LIFEBOAT_PASSWORD", "not the password");
            Result w = run(wrong);
            assertThat(w.code()).as(state).isEqualTo(ExitCodes.WRONG_PASSWORD);
            assertThat(w.err()).as(state).startsWith("lifeboat: wrong password").hasLineCount(1);
        }
    }
}
