package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AOT cache's training run: every command it runs must succeed, or the cache is not made. */
class AotTrainingTest {

    @TempDir
    Path tmp;

    @Test
    void everyTrainingCommandSucceedsOnAScratchRepository() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // A LIFEBOAT_ variable of the caller must not point the training elsewhere.
        AotTraining.train(tmp, Map.of("LIFEBOAT_REPOSITORY", tmp.resolve("elsewhere").toString()),
            new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(log.toString(StandardCharsets.UTF_8).lines())
            .anyMatch(l -> l.startsWith("aot training: lifeboat restore latest"))
            .anyMatch(l -> l.startsWith("aot training: lifeboat prune"))
            .last().asString().startsWith("aot training: lifeboat check");
        try (var restored = Files.walk(tmp.resolve("restored"))) {
            assertThat(restored.filter(Files::isRegularFile).count()).isEqualTo(121);
        }
        assertThat(tmp.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void aFailingCommandStopsTheTraining() throws Exception {
        Files.createDirectories(tmp.resolve("repo"));
        Files.writeString(tmp.resolve("repo/config"), "not a repository"); // init then refuses

        assertThatThrownBy(() -> AotTraining.train(tmp, Map.of(), new PrintStream(new ByteArrayOutputStream(),
            true, StandardCharsets.UTF_8)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("lifeboat init exited with");
    }
}
