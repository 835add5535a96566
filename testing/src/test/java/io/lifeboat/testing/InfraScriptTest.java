package io.lifeboat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfraScriptTest {

    @Test
    void parsesExportLinesAndSkipsEverythingElse() {
        String text = """
                # Lifeboat local servers; written by dev/infra.sh up. Source it.
                export LIFEBOAT_S3_ENDPOINT=http://127.0.0.1:18080
                export LIFEBOAT_PG_JDBC_URL=jdbc:postgresql://127.0.0.1:15432/lifeboat?a=b
                export QUOTED='x y'
                export DOUBLE="z"
                export EMPTY=
                NOT_EXPORTED=1
                export =novalue
                export NOEQUALS
                [infra 01:02:03] kafka: 127.0.0.1:19092 (pid 1)
                """;
        Map<String, String> env = InfraScript.parseEnv(text);
        assertEquals("http://127.0.0.1:18080", env.get("LIFEBOAT_S3_ENDPOINT"));
        assertEquals("jdbc:postgresql://127.0.0.1:15432/lifeboat?a=b", env.get("LIFEBOAT_PG_JDBC_URL"));
        assertEquals("x y", env.get("QUOTED"));
        assertEquals("z", env.get("DOUBLE"));
        assertEquals("", env.get("EMPTY"));
        assertEquals(5, env.size(), env.toString());
    }

    @Test
    void emptyOrTruncatedInputGivesWhatIsComplete() {
        assertTrue(InfraScript.parseEnv("").isEmpty());
        assertEquals(Map.of("A", "1"), InfraScript.parseEnv("export A=1\nexport B"));
        assertEquals(Map.of("A", "'"), InfraScript.parseEnv("export A='"));
    }

    @Test
    void findsTheRepositoryFromTheSystemProperty(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("dev"));
        Files.writeString(dir.resolve("dev/infra.sh"), "#!/bin/sh\n");
        String old = System.getProperty("lifeboat.repo.root");
        System.setProperty("lifeboat.repo.root", dir.toString());
        try {
            assertEquals(dir.toAbsolutePath().normalize(), InfraScript.locate().repoRoot());
        } finally {
            if (old == null) {
                System.clearProperty("lifeboat.repo.root");
            } else {
                System.setProperty("lifeboat.repo.root", old);
            }
        }
    }

    @Test
    void aFailingScriptReportsItsLastErrorLine(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("dev"));
        Files.writeString(dir.resolve("dev/infra.sh"),
                "echo progress >&2\necho 'lifeboat infra: kafka did not start; see /x/kafka.log' >&2\nexit 1\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new InfraScript(dir).run("up"));
        assertTrue(e.getMessage().endsWith("lifeboat infra: kafka did not start; see /x/kafka.log"), e.getMessage());
    }

    @Test
    void runningServersAreReadFromTheStatusTable(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("dev"));
        Files.writeString(dir.resolve("dev/infra.sh"), """
                printf '%s\\n' 'SERVER     STATE     ENDPOINT   PID' \
                  'kafka      running   127.0.0.1:19092   12' 's3proxy    stopped   http://127.0.0.1:18080 -'
                """);
        assertEquals(java.util.List.of("kafka"), new InfraScript(dir).running());
    }

    @Test
    void reportsTheServersTheScriptStarted(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("dev"));
        Files.writeString(dir.resolve("dev/infra.sh"),
                "printf 'kafka\\nkms\\n' >> \"$LIFEBOAT_INFRA_STARTED_FILE\"\n");
        assertEquals(java.util.List.of("kafka", "kms"), new InfraScript(dir).runRecordingStarted("up"));
    }

    @Test
    void aFailedStartStillReportsWhatItStarted(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("dev"));
        Files.writeString(dir.resolve("dev/infra.sh"),
                "echo kafka >> \"$LIFEBOAT_INFRA_STARTED_FILE\"\necho 'lifeboat infra: s3proxy failed' >&2\nexit 1\n");
        InfraScript.StartFailedException e = assertThrows(InfraScript.StartFailedException.class,
                () -> new InfraScript(dir).runRecordingStarted("up"));
        assertEquals(java.util.List.of("kafka"), e.started());
        assertTrue(e.getMessage().endsWith("lifeboat infra: s3proxy failed"), e.getMessage());
    }
}
