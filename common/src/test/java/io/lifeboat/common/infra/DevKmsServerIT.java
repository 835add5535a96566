package io.lifeboat.common.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.testing.LocalInfra;
import io.lifeboat.testing.LocalInfraExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KmsException;

/** The development KMS (module dev/kms) speaks the AWS KMS protocol to the real AWS SDK client. */
@ExtendWith(LocalInfraExtension.class)
class DevKmsServerIT {

    private static KmsClient client(LocalInfra infra, String secret) {
        return KmsClient.builder()
                .endpointOverride(infra.kmsEndpoint())
                .region(Region.of(infra.kmsRegion()))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.kmsAccessKey(), secret)))
                .build();
    }

    @Test
    void generateDataKeyThenDecryptRoundTrip(LocalInfra infra) {
        Map<String, String> context = Map.of("repository", "infra-it");
        try (KmsClient kms = client(infra, infra.kmsSecretKey())) {
            GenerateDataKeyResponse key = kms.generateDataKey(b -> b.keyId("alias/lifeboat-dev")
                    .keySpec(DataKeySpec.AES_256).encryptionContext(context));
            assertThat(key.plaintext().asByteArray()).hasSize(32);
            assertThat(key.ciphertextBlob().asByteArray()).isNotEqualTo(key.plaintext().asByteArray());
            assertThat(key.keyId()).isEqualTo(infra.kmsKeyArn());

            DecryptResponse plain = kms.decrypt(b -> b.ciphertextBlob(key.ciphertextBlob()).encryptionContext(context));
            assertThat(plain.plaintext().asByteArray()).isEqualTo(key.plaintext().asByteArray());
            assertThat(plain.keyId()).isEqualTo(infra.kmsKeyArn());

            assertThatThrownBy(() -> kms.decrypt(b -> b.ciphertextBlob(key.ciphertextBlob())
                    .encryptionContext(Map.of("repository", "another"))))
                    .isInstanceOf(KmsException.class);
        }
    }

    @Test
    void wrongSecretIsRefused(LocalInfra infra) {
        try (KmsClient kms = client(infra, infra.kmsSecretKey() + "x")) {
            assertThatThrownBy(() -> kms.generateDataKey(b -> b.keyId(infra.kmsKeyArn()).keySpec(DataKeySpec.AES_256)))
                    .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.statusCode()).isBetween(400, 403));
        }
    }
}
