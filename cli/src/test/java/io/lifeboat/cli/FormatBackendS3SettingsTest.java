package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.store.s3.S3Credentials;
import io.lifeboat.common.store.s3.S3StoreConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which variables an S3 repository, source and target take their settings from. */
class FormatBackendS3SettingsTest {
    private final Map<String, String> env = new HashMap<>(Map.of(
        "LIFEBOAT_S3_ENDPOINT", "http://repo.example:9000",
        "LIFEBOAT_S3_REGION", "eu-west-1",
        "LIFEBOAT_S3_ACCESS_KEY", "REPOKEY",
        "LIFEBOAT_S3_SECRET_KEY", "repo-secret"));
    private final RepositoryLocation.S3 where = new RepositoryLocation.S3("bucket", "some/prefix");

    private S3StoreConfig config(String prefix) {
        return new FormatBackend(env).s3Config(where, prefix);
    }

    private static String accessKey(S3StoreConfig c) {
        return ((S3Credentials.Static) c.credentials()).accessKeyId();
    }

    @Test
    void aSourceWithoutItsOwnSettingsUsesTheRepositoryOnes() {
        S3StoreConfig c = config("LIFEBOAT_SOURCE_S3_");
        assertThat(c.endpoint()).contains(URI.create("http://repo.example:9000"));
        assertThat(c.region()).isEqualTo("eu-west-1");
        assertThat(accessKey(c)).isEqualTo("REPOKEY");
        assertThat(c.bucket()).isEqualTo("bucket");
        assertThat(c.keyPrefix()).isEqualTo("some/prefix/");
    }

    @Test
    void aSourceOrTargetWithItsOwnSettingsUsesThem() {
        env.put("LIFEBOAT_SOURCE_S3_ENDPOINT", "http://source.example:9000");
        env.put("LIFEBOAT_SOURCE_S3_REGION", "us-west-2");
        env.put("LIFEBOAT_SOURCE_S3_ACCESS_KEY", "SOURCEKEY");
        env.put("LIFEBOAT_SOURCE_S3_SECRET_KEY", "source-secret");
        env.put("LIFEBOAT_TARGET_S3_ACCESS_KEY", "TARGETKEY");
        env.put("LIFEBOAT_TARGET_S3_SECRET_KEY", "target-secret");
        S3StoreConfig source = config("LIFEBOAT_SOURCE_S3_");
        assertThat(source.endpoint()).contains(URI.create("http://source.example:9000"));
        assertThat(source.region()).isEqualTo("us-west-2");
        assertThat(accessKey(source)).isEqualTo("SOURCEKEY");
        S3StoreConfig target = config("LIFEBOAT_TARGET_S3_");
        assertThat(target.endpoint()).contains(URI.create("http://repo.example:9000"));
        assertThat(accessKey(target)).isEqualTo("TARGETKEY");
        assertThat(accessKey(config("LIFEBOAT_S3_"))).isEqualTo("REPOKEY");
    }

    @Test
    void aHalfPairIsNeverMixedWithTheOtherHalf() {
        env.put("LIFEBOAT_SOURCE_S3_ACCESS_KEY", "SOURCEKEY");
        assertThat(accessKey(config("LIFEBOAT_SOURCE_S3_"))).isEqualTo("REPOKEY");
        env.remove("LIFEBOAT_S3_ACCESS_KEY");
        assertThat(config("LIFEBOAT_SOURCE_S3_").credentials()).isInstanceOf(S3Credentials.DefaultChain.class);
    }

    @Test
    void aBadEndpointNamesItsVariable() {
        env.put("LIFEBOAT_SOURCE_S3_ENDPOINT", "http://bad host");
        assertThatThrownBy(() -> config("LIFEBOAT_SOURCE_S3_"))
            .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
            .hasMessageContaining("LIFEBOAT_SOURCE_S3_ENDPOINT is not a URL");
    }

    @Test
    void maintenanceCommandsUseTheMaintenancePairOnlyWhenWholeAndOnlyForTheRepository() {
        env.put("LIFEBOAT_S3_MAINTENANCE_ACCESS_KEY", "MAINTKEY");
        assertThat(accessKey(new FormatBackend(env).s3Config(where, "LIFEBOAT_S3_", true)))
            .as("half a pair is ignored").isEqualTo("REPOKEY");
        env.put("LIFEBOAT_S3_MAINTENANCE_SECRET_KEY", "maint-secret");
        assertThat(accessKey(new FormatBackend(env).s3Config(where, "LIFEBOAT_S3_", true))).isEqualTo("MAINTKEY");
        assertThat(accessKey(new FormatBackend(env).s3Config(where, "LIFEBOAT_S3_", false))).isEqualTo("REPOKEY");
    }
}
