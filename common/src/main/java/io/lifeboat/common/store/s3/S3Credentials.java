package io.lifeboat.common.store.s3;

import java.util.Objects;

/** Where the S3 adapter gets its credentials. */
public sealed interface S3Credentials {

    /** The SDK's default chain: environment, system properties, profile, web identity, container, instance. */
    static S3Credentials defaultChain() {
        return new DefaultChain();
    }

    static S3Credentials of(String accessKeyId, String secretAccessKey) {
        return new Static(accessKeyId, secretAccessKey);
    }

    /** The SDK's default provider chain. */
    record DefaultChain() implements S3Credentials {
    }

    /**
     * A fixed access key pair. The secret is never part of {@link #toString()}.
     *
     * @param accessKeyId the access key id, not secret
     * @param secretAccessKey the secret key
     */
    record Static(String accessKeyId, String secretAccessKey) implements S3Credentials {
        public Static {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
                throw new IllegalArgumentException("S3 access key id and secret must not be blank");
            }
        }

        @Override
        public String toString() {
            return "Static[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
        }
    }
}
