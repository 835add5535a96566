package io.lifeboat.common.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildProcessTest {
    private static final byte[] MIB = new byte[1 << 20];

    @Test
    void pipeToleratesAChildThatStopsReadingEarlyAndSucceeds() {
        ChildProcess.Outcome<String> out = ChildProcess.pipe(List.of("head", "-c", "5"), Map.of(),
            in -> {
                for (int i = 0; i < 64; i++) {
                    in.write(MIB);
                }
            },
            in -> new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        assertThat(out.ok()).isTrue();
        assertThat(out.value()).hasSize(5);
    }

    @Test
    void writeStdinReportsTheExitCodeAndOutputTailOfAFailedChild() {
        ChildProcess.Outcome<Void> out = ChildProcess.writeStdin(List.of("sh", "-c", "echo 'ERROR: disk full' >&2; exit 3"),
            Map.of(), in -> {
                for (int i = 0; i < 64; i++) {
                    in.write(MIB);
                }
            });
        assertThat(out.exitCode()).isEqualTo(3);
        assertThat(out.stderr()).isEqualTo("ERROR: disk full");
    }

    @Test
    void theChildSeesExtraEnvironmentButMessagesNeverShowIt() {
        ChildProcess.Outcome<String> out = ChildProcess.readStdout(List.of("sh", "-c", "printf %s \"$SECRET_X\"; exit 4"),
            Map.of("SECRET_X", "hunter2"), in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        assertThat(out.value()).isEqualTo("hunter2");
        assertThat(out.exitCode()).isEqualTo(4);
        assertThatThrownBy(() -> ChildProcess.readStdout(List.of("/no/such/tool", "--password=x"), Map.of("P", "hunter2"),
            in -> null)).isInstanceOf(EngineException.class).hasMessageStartingWith("cannot start command 'tool'")
            .hasMessageNotContaining("hunter2").hasMessageNotContaining("--password");
    }
}
