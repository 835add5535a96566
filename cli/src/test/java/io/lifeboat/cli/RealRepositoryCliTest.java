package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process against the real repository format on a local directory. */
class RealRepositoryCliTest {
    @TempDir
    Path tmp;
    Path repo;
    final Map<String, String> env = new HashMap<>();
    String out;
    String err;

    @BeforeEach
    void setUp() {
        repo = InProcessCli.localRepository(tmp.resolve("repo"), env);
    }

    int run(String... args) {
        InProcessCli.Result r = InProcessCli.execute(new FormatBackend(), env, args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out);
    }

    static Path randomTree(Path dir, long seed, int files, int size) throws Exception {
        Files.createDirectories(dir.resolve("nested"));
        Random r = new Random(seed);
        for (int i = 0; i < files; i++) {
            byte[] b = new byte[size];
            r.nextBytes(b);
            Files.write(dir.resolve(i % 2 == 0 ? "f" + i : "nested/f" + i), b);
        }
        return dir;
    }

    @Test
    void backupRestoreRoundTripThroughTheCli() throws Exception {
        Path data = randomTree(tmp.resolve("data"), 1, 6, 300_000);
        Files.createSymbolicLink(data.resolve("link"), Path.of("nested"));
        assertThat(run("backup", "--json", data.toString())).as(err).isZero();
        assertThat(json().get("files_new").asLong()).isEqualTo(6);
        assertThat(run("snapshots", "--json")).isZero();
        assertThat(json()).hasSize(1);
        assertThat(run("restore", "latest", "--target", tmp.resolve("r").toString())).as(err).isZero();
        io.lifeboat.common.engine.testing.TreeAssertions.assertSameTree(data, tmp.resolve("r/data"));
        assertThat(run("check", "--read-data")).as(out + err).isZero();
        assertThat(run("stats", "--json")).isZero();
        assertThat(json().get("stored_bytes").asLong()).isPositive();
        try (var r = Repositories.open(new LocalObjectStore(repo), "pw".toCharArray())) {
            assertThat(r.journal()).extracting(j -> j.entry().action()).contains("backup", "restore", "check");
            assertThat(r.journal()).filteredOn(j -> j.entry().action().equals("restore")).singleElement()
                .satisfies(j -> assertThat(j.entry().details()).containsEntry("files", "6"));
        }
    }

    @Test
    void readDataNamesABitFlippedPackAndTheSnapshotsItHurts() throws Exception {
        Path a = randomTree(tmp.resolve("a"), 2, 4, 500_000);
        Path b = randomTree(tmp.resolve("b"), 3, 4, 500_000);
        assertThat(run("backup", "--json", a.toString())).as(err).isZero();
        String first = json().get("snapshot").asText();
        Set<Path> packsOfFirst = packs();
        assertThat(run("backup", "--json", b.toString())).as(err).isZero();
        String second = json().get("snapshot").asText();
        assertThat(run("check", "--read-data")).as(out + err).isZero();

        Path victim = packsOfFirst.iterator().next();
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length / 3] ^= 0x10;
        Files.write(victim, bytes);

        assertThat(run("check")).as("metadata alone cannot see a flipped data byte").isZero();
        assertThat(run("check", "--read-data")).isEqualTo(ExitCodes.FAILURE);
        String packId = victim.getFileName().toString();
        assertThat(out).contains("pack " + packId + " is damaged; it hurts 1 snapshot: " + first.substring(0, 8));
        assertThat(run("check", "--read-data", "--json")).isEqualTo(ExitCodes.FAILURE);
        JsonNode hurt = json().get("damaged_packs").get(packId);
        assertThat(hurt).hasSize(1);
        assertThat(hurt.get(0).asText()).isEqualTo(first).isNotEqualTo(second);
    }

    private Set<Path> packs() throws Exception {
        Set<Path> packs = new HashSet<>();
        try (Stream<Path> s = Files.walk(repo.resolve("data"))) {
            s.filter(Files::isRegularFile).forEach(packs::add);
        }
        return packs;
    }

    @Test
    void errorPathsGiveOneLineAndNonZeroExit() throws Exception {
        env.put("LIFEBOAT_PASSWORD", "wrong");
        assertThat(run("snapshots")).isEqualTo(ExitCodes.WRONG_PASSWORD);
        assertThat(err.lines()).hasSize(1);
        env.put("LIFEBOAT_PASSWORD", "pw");
        env.put("LIFEBOAT_REPOSITORY", tmp.resolve("nothing-here").toString());
        assertThat(run("snapshots")).isEqualTo(ExitCodes.NO_REPOSITORY);
        assertThat(err.lines()).hasSize(1).first().asString().startsWith("lifeboat: no repository at");
        Files.createDirectories(tmp.resolve("empty-dir"));
        env.put("LIFEBOAT_REPOSITORY", tmp.resolve("empty-dir").toString());
        assertThat(run("snapshots")).isEqualTo(ExitCodes.NO_REPOSITORY);
        env.put("LIFEBOAT_REPOSITORY", repo.toString());
        assertThat(run("restore", "abcdef12", "--target", tmp.resolve("t").toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.lines()).hasSize(1).first().asString().startsWith("lifeboat: ");
        assertThat(run("ls", "latest")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.lines()).hasSize(1);
        env.put("LIFEBOAT_REPOSITORY", "gs:bucket/prefix");
        assertThat(run("snapshots")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines()).hasSize(1).first().asString().contains("unsupported repository scheme 'gs'");
        List<String> none = List.of();
        assertThat(none).isEmpty();
    }

    @Test
    void initCanCopyTheChunkerParametersOfAnotherRepository() throws Exception {
        Path source = tmp.resolve("source");
        io.lifeboat.common.chunk.ChunkerParams custom =
            new io.lifeboat.common.chunk.ChunkerParams("fastcdc-v2020", 64 * 1024, 128 * 1024, 1024 * 1024, 42L);
        Repositories.init(new LocalObjectStore(source), "other".toCharArray(), InitOptions.forTests().withChunker(custom))
            .close();
        Path pwFile = Files.writeString(tmp.resolve("other.pw"), "other\n");
        Path copy = tmp.resolve("copy");

        int code = run("--json", "-r", "local:" + copy, "init", "--copy-chunker-params-from", "local:" + source,
            "--from-password-file", pwFile.toString());

        assertThat(code).as(err).isZero();
        try (var repo = Repositories.open(new LocalObjectStore(copy), "pw".toCharArray())) {
            assertThat(repo.chunkerParams()).isEqualTo(custom);
        }
        assertThat(run("-r", "local:" + tmp.resolve("copy2"), "init", "--copy-chunker-params-from",
            "local:" + source)).as("the new password does not open the source").isNotZero();
        assertThat(err.strip()).startsWith("lifeboat:").doesNotContain("\n");
    }
}
