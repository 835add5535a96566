package io.lifeboat.common.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3StoreConfigTest {

    @Test
    void prefixIsNormalisedToEndWithASlash() {
        assertThat(S3StoreConfig.builder("r", "b").keyPrefix("a/b").build().keyPrefix()).isEqualTo("a/b/");
        assertThat(S3StoreConfig.builder("r", "b").keyPrefix("/a/").build().keyPrefix()).isEqualTo("a/");
        assertThat(S3StoreConfig.builder("r", "b").keyPrefix("/").build().keyPrefix()).isEmpty();
        assertThat(S3StoreConfig.builder("r", "b").build().keyPrefix()).isEmpty();
    }

    @Test
    void rejectsPartsBelowTheS3MinimumAndAThresholdBelowThePartSize() {
        assertThatThrownBy(() -> S3StoreConfig.builder("r", "b").partSize(1024 * 1024).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 MiB");
        assertThatThrownBy(() -> S3StoreConfig.builder("r", "b").multipartThreshold(1024).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3StoreConfig.builder("r", " ").build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secretsNeverAppearInToString() {
        S3StoreConfig config = S3StoreConfig.builder("r", "b").credentials(S3Credentials.of("AKID", "s3cr3t")).build();
        assertThat(config.toString()).contains("AKID").doesNotContain("s3cr3t");
    }
}
