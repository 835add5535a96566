package io.lifeboat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfraEnvFileTest {
    @Test
    void readsExportLinesWithPlainAndQuotedValues() {
        var vars = InfraEnvFile.parse("""
                # written by dev/infra.sh
                export LIFEBOAT_KAFKA_BOOTSTRAP=127.0.0.1:19092
                export LIFEBOAT_S3_SECRET_KEY='s3cr=t with space'
                export LIFEBOAT_PG_JDBC_URL="jdbc:postgresql://127.0.0.1:15432/lifeboat"
                LIFEBOAT_PLAIN=value
                """);
        assertThat(vars).containsExactly(
                java.util.Map.entry("LIFEBOAT_KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
                java.util.Map.entry("LIFEBOAT_S3_SECRET_KEY", "s3cr=t with space"),
                java.util.Map.entry("LIFEBOAT_PG_JDBC_URL", "jdbc:postgresql://127.0.0.1:15432/lifeboat"),
                java.util.Map.entry("LIFEBOAT_PLAIN", "value"));
    }

    @Test
    void skipsMalformedLines() {
        var vars = InfraEnvFile.parse("""
                export
                export =nameless
                export 1BAD=x
                export OPEN="unterminated
                export HALF='
                just some words
                export GOOD=1
                """);
        assertThat(vars).containsOnlyKeys("GOOD");
    }

    @Test
    void missingFileIsEmpty(@TempDir Path dir) {
        assertThat(InfraEnvFile.read(dir.resolve("env"))).isEmpty();
    }

    @Test
    void readsAFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("env"), "export A=1\r\nexport B=2\n");
        assertThat(InfraEnvFile.read(file)).containsExactly(java.util.Map.entry("A", "1"), java.util.Map.entry("B", "2"));
    }
}
