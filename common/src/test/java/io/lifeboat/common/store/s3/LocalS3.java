package io.lifeboat.common.store.s3;

import io.lifeboat.testing.LocalInfra;
import java.util.UUID;

/**
 * The shared local S3 server (S3Proxy from {@code dev/infra.sh}, through {@link LocalInfra}) as
 * the integration tests see it. Each configuration gets a fresh random key prefix in the shared
 * bucket, so tests never see each other's objects.
 */
final class LocalS3 {
    private LocalS3() {
    }

    /** A configuration for a fresh, unique key prefix in the shared bucket. */
    static S3StoreConfig.Builder config() {
        return config(LocalInfra.shared().s3SecretKey());
    }

    static S3StoreConfig.Builder config(String secretKey) {
        LocalInfra infra = LocalInfra.shared();
        return S3StoreConfig.builder(infra.s3Region(), infra.s3Bucket())
                .endpoint(infra.s3Endpoint())
                .pathStyle(true)
                .keyPrefix("it/store/" + UUID.randomUUID())
                .credentials(S3Credentials.of(infra.s3AccessKey(), secretKey));
    }
}
