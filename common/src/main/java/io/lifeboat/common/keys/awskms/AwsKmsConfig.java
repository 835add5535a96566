package io.lifeboat.common.keys.awskms;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the KMS key lives and how to reach it.
 *
 * @param endpoint KMS endpoint override, or empty for AWS's regional endpoint
 * @param region the region, e.g. {@code eu-west-1}
 * @param keyId the KEK: key id, key ARN, alias name ({@code alias/x}) or alias ARN
 * @param accessKeyId static access key id, or empty for the SDK's default credentials chain
 * @param secretAccessKey its secret, present exactly when {@code accessKeyId} is; never printed
 */
public record AwsKmsConfig(Optional<URI> endpoint, String region, String keyId,
        Optional<String> accessKeyId, Optional<String> secretAccessKey) {

    public AwsKmsConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        if (keyId.isBlank()) {
            throw new IllegalArgumentException("KMS key id must not be blank");
        }
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException("KMS access key id and secret must be given together");
        }
    }

    /** Default credentials chain, AWS endpoint. */
    public static AwsKmsConfig of(String region, String keyId) {
        return new AwsKmsConfig(Optional.empty(), region, keyId, Optional.empty(), Optional.empty());
    }

    public AwsKmsConfig withEndpoint(URI endpoint) {
        return new AwsKmsConfig(Optional.of(endpoint), region, keyId, accessKeyId, secretAccessKey);
    }

    public AwsKmsConfig withStaticCredentials(String accessKeyId, String secretAccessKey) {
        return new AwsKmsConfig(endpoint, region, keyId, Optional.of(accessKeyId), Optional.of(secretAccessKey));
    }

    public AwsKmsConfig withKeyId(String keyId) {
        return new AwsKmsConfig(endpoint, region, keyId, accessKeyId, secretAccessKey);
    }

    @Override
    public String toString() {
        return "AwsKmsConfig[endpoint=" + endpoint.map(URI::toString).orElse("aws") + ", region=" + region
                + ", keyId=" + keyId + ", accessKeyId=" + accessKeyId.orElse("default chain")
                + secretAccessKey.map(s -> ", secretAccessKey=***").orElse("") + "]";
    }
}
