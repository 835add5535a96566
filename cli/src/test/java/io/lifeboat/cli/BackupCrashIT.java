package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.engine.testing.TreeAssertions;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built CLI as a real process: a backup killed with SIGKILL halfway leaves no snapshot, and the
 * next backup succeeds and reuses the packs the killed one had indexed.
 */
class BackupCrashIT {
    static final Path ROOT = Path.of(System.getProperty("lifeboat.repo.root", "..")).toAbsolutePath().normalize();
    static final long FILE_SIZE = 4L << 20;
    static final int FILES = 48;

    @TempDir
    Path tmp;
    Path repo;

    @BeforeEach
    void init() {
        repo = tmp.resolve("repo");
        Repositories.init(new LocalObjectStore(repo), "pw".toCharArray(), InitOptions.forTests()).close();
    }

    ProcessBuilder cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-cp",
            ROOT.resolve("cli/target/lifeboat-cli.jar") + File.pathSeparator + ROOT.resolve("cli/target/lib") + "/*",
            "io.lifeboat.cli.LifeboatCli"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LIFEBOAT_REPOSITORY", repo.toString());
        pb.environment().put("LIFEBOAT_PASSWORD", "pw");
        return pb;
    }

    record Result(int code, String out, String err) {
    }

    Result run(ProcessBuilder pb) throws Exception {
        Path o = Files.createTempFile(tmp, "out", ".txt");
        Path e = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(o.toFile()).redirectError(e.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), Files.readString(o), Files.readString(e));
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    @Test
    void killedBackupLeavesNoSnapshotAndTheNextOneReusesItsPacks() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Random rnd = new Random(99);
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < FILES; i++) {
            try (OutputStream out = Files.newOutputStream(data.resolve(String.format("f%02d.bin", i)))) {
                for (int j = 0; j < FILE_SIZE / block.length; j++) {
                    rnd.nextBytes(block);
                    out.write(block);
                }
            }
        }
        long total = FILES * FILE_SIZE;

        Process killed = cli("backup", "--quiet", "--threads", "2", data.toString())
            .redirectOutput(tmp.resolve("killed.out").toFile()).redirectError(tmp.resolve("killed.err").toFile())
            .start();
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> count(repo.resolve("index")) > 0 || !killed.isAlive());
            assertThat(killed.isAlive()).as("the backup must still run once an index exists; grow the data set")
                .isTrue();
        } finally {
            killed.destroyForcibly();
            killed.waitFor(1, TimeUnit.MINUTES);
        }
        assertThat(count(repo.resolve("data"))).isPositive();

        Result snaps = run(cli("snapshots", "--json"));
        assertThat(snaps.code()).as(snaps.err()).isZero();
        assertThat(new ObjectMapper().readTree(snaps.out())).isEmpty();

        Result again = run(cli("backup", "--json", "--threads", "2", data.toString()));
        assertThat(again.code()).as(again.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(again.out());
        assertThat(summary.get("bytes_total").asLong()).isEqualTo(total);
        assertThat(summary.get("bytes_added").asLong()).as("reuses what the killed run indexed")
            .isLessThan(total - (32L << 20));

        Result restore = run(cli("restore", "latest", "--target", tmp.resolve("restored").toString()));
        assertThat(restore.code()).as(restore.err()).isZero();
        TreeAssertions.assertSameTree(data, tmp.resolve("restored/data"));

        Result check = run(cli("check", "--read-data", "--json"));
        assertThat(check.code()).as(check.out() + check.err()).isZero();
        assertThat(new ObjectMapper().readTree(check.out()).get("ok").asBoolean()).isTrue();
    }
}
