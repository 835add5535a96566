package io.lifeboat.common.keys.awskms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.keys.DataKey;
import io.lifeboat.common.keys.KeyProvider;
import io.lifeboat.common.keys.KeyProviderContractTest;
import io.lifeboat.common.keys.KeyProviderException;
import io.lifeboat.testing.LocalInfra;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@link AwsKmsKeyProvider} against the shared development KMS ({@code dev/kms}, from
 * {@link LocalInfra}), through the unmodified AWS SDK. Each test makes its own two keys, so
 * disabling or deleting one never touches the shared bootstrap key. Provider A names its key by
 * an alias, B by ARN: both must record the ARN.
 */
class AwsKmsKeyProviderIT extends KeyProviderContractTest {
    private KmsClient admin;
    private String keyA;
    private String aliasA;
    private String keyB;

    private final LocalInfra infra = LocalInfra.shared();

    private AwsKmsConfig config(String keyId) {
        return AwsKmsConfig.of(infra.kmsRegion(), keyId)
                .withEndpoint(infra.kmsEndpoint())
                .withStaticCredentials(infra.kmsAccessKey(), infra.kmsSecretKey());
    }

    /** Made on first use: the contract's {@code @BeforeEach} asks for providers before ours would run. */
    private void ensureKeys() {
        if (admin != null) {
            return;
        }
        admin = KmsClient.builder()
                .endpointOverride(infra.kmsEndpoint())
                .region(Region.of(infra.kmsRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        infra.kmsAccessKey(), infra.kmsSecretKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        keyA = admin.createKey(r -> r.description("AwsKmsKeyProviderIT A")).keyMetadata().arn();
        keyB = admin.createKey(r -> r.description("AwsKmsKeyProviderIT B")).keyMetadata().arn();
        aliasA = "alias/it-" + UUID.randomUUID();
        admin.createAlias(r -> r.aliasName(aliasA).targetKeyId(keyA));
    }

    @AfterEach
    void retireKeys() {
        if (admin != null) {
            for (String k : new String[] {keyA, keyB}) {
                try {
                    admin.scheduleKeyDeletion(r -> r.keyId(k).pendingWindowInDays(7));
                } catch (RuntimeException e) {
                    // Already scheduled by the test.
                }
            }
            admin.close();
        }
    }

    @Override
    protected KeyProvider newProvider() {
        ensureKeys();
        return AwsKmsKeyProvider.create(config(aliasA));
    }

    @Override
    protected KeyProvider otherProvider() {
        ensureKeys();
        return AwsKmsKeyProvider.create(config(keyB));
    }

    @Test
    void theKeyArnIsRecordedWhenTheProviderWasGivenAnAlias() {
        assertThat(provider.kekId()).isEqualTo(keyA);
        assertThat(provider.generateDataKey(CONTEXT).wrapped().kekId()).isEqualTo(keyA);
        assertThat(provider.describe()).contains(aliasA).doesNotContain(infra.kmsSecretKey());
    }

    @Test
    void aDisabledKeyFailsClearlyAndWorksAgainOnceEnabled() {
        DataKey key = provider.generateDataKey(CONTEXT);
        admin.disableKey(r -> r.keyId(keyA));
        assertThatThrownBy(() -> provider.unwrap(key.wrapped(), CONTEXT))
                .isInstanceOf(KeyProviderException.class)
                .hasMessage("KMS key " + keyA + " is disabled")
                .satisfies(e -> assertThat(((KeyProviderException) e).isTransient()).isFalse());
        assertThatThrownBy(() -> provider.generateDataKey(CONTEXT))
                .isInstanceOf(KeyProviderException.class).hasMessageContaining("is disabled");

        admin.enableKey(r -> r.keyId(keyA));
        assertThat(provider.unwrap(key.wrapped(), CONTEXT)).isEqualTo(key.plaintext());
    }

    @Test
    void aKeyPendingDeletionFailsClearly() {
        DataKey key = provider.generateDataKey(CONTEXT);
        admin.scheduleKeyDeletion(r -> r.keyId(keyA).pendingWindowInDays(7));
        assertThatThrownBy(() -> provider.unwrap(key.wrapped(), CONTEXT))
                .isInstanceOf(KeyProviderException.class)
                .hasMessageStartingWith("KMS key " + keyA + " cannot be used in its current state")
                .hasMessageContaining("pending deletion");
        assertThatThrownBy(() -> provider.rewrap(key.wrapped(), keyB, CONTEXT))
                .isInstanceOf(KeyProviderException.class).hasMessageContaining("current state");
    }

    @Test
    void anUnknownKeyIsNamedInTheError() {
        String missing = keyA.substring(0, keyA.lastIndexOf('/') + 1) + UUID.randomUUID();
        try (KeyProvider p = AwsKmsKeyProvider.create(config(missing))) {
            assertThatThrownBy(() -> p.generateDataKey(CONTEXT))
                    .isInstanceOf(KeyProviderException.class)
                    .hasMessage("KMS key " + missing + " does not exist (or is not visible to these credentials)");
        }
    }

    @Test
    void aWrongSecretIsAReadablePermanentError() {
        AwsKmsConfig wrong = config(keyA).withStaticCredentials(infra.kmsAccessKey(), "not-the-secret");
        try (KeyProvider p = AwsKmsKeyProvider.create(wrong)) {
            assertThatThrownBy(() -> p.generateDataKey(Map.of()))
                    .isInstanceOf(KeyProviderException.class)
                    .hasMessageContaining("InvalidSignatureException")
                    .hasMessageNotContaining("not-the-secret")
                    .satisfies(e -> assertThat(((KeyProviderException) e).isTransient()).isFalse());
        }
    }

    @Test
    void anUnreachableKmsIsTransient() {
        AwsKmsConfig nowhere = config(keyA).withEndpoint(URI.create("http://127.0.0.1:1"));
        try (KeyProvider p = AwsKmsKeyProvider.create(nowhere)) {
            assertThatThrownBy(() -> p.generateDataKey(Map.of()))
                    .isInstanceOf(KeyProviderException.class)
                    .hasMessageContaining("unreachable")
                    .satisfies(e -> assertThat(((KeyProviderException) e).isTransient()).isTrue());
        }
    }
}
