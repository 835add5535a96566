package io.lifeboat.devkms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DevKmsConfigTest {

  @Test
  void defaultsAreLoopbackAndTheDocumentedRegionAndAccount() {
    DevKmsConfig config = DevKmsConfig.parse("--data-dir", "/tmp/x", "--access-key", "a",
        "--secret-key", "b");

    assertThat(config.bind()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(18090);
    assertThat(config.region()).isEqualTo("us-east-1");
    assertThat(config.account()).isEqualTo("000000000000");
    assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/x"));
    assertThat(config.bootstrapAlias()).isEmpty();
  }

  @Test
  void acceptsBothOptionStyles() {
    DevKmsConfig config = DevKmsConfig.parse("--data-dir=/d", "--access-key", "a",
        "--secret-key=b", "--port=0", "--region", "eu-west-1", "--bootstrap-alias", "alias/x");

    assertThat(config.port()).isZero();
    assertThat(config.region()).isEqualTo("eu-west-1");
    assertThat(config.bootstrapAlias()).contains("alias/x");
  }

  @Test
  void rejectsMissingUnknownAndMalformedOptions() {
    assertThatThrownBy(() -> DevKmsConfig.parse("--access-key", "a", "--secret-key", "b"))
        .hasMessage("option --data-dir is required");
    assertThatThrownBy(() -> DevKmsConfig.parse("--data-dir", "d", "--access-key", "a",
        "--secret-key", "b", "--colour", "red")).hasMessage("unknown option --colour");
    assertThatThrownBy(() -> DevKmsConfig.parse("--data-dir", "d", "--access-key", "a",
        "--secret-key", "b", "--port", "x")).hasMessageContaining("--port must be a number");
    assertThatThrownBy(() -> DevKmsConfig.parse("--data-dir", "d", "--access-key", "a",
        "--secret-key", "b", "--bootstrap-alias", "lifeboat")).hasMessageContaining("alias/");
    assertThatThrownBy(() -> DevKmsConfig.parse("--data-dir")).hasMessageContaining("needs a value");
  }

  @Test
  void toStringHidesTheSecret() {
    assertThat(DevKmsConfig.parse("--data-dir", "d", "--access-key", "a", "--secret-key",
        "hunter2").toString()).doesNotContain("hunter2");
  }
}
