package io.lifeboat.common.store.s3;

import java.net.URI;
import java.util.UUID;

/**
 * The local S3 server (S3Proxy started by {@code dev/infra.sh up}) as the integration tests see
 * it, from the standard {@code LIFEBOAT_S3_*} environment variables. A missing variable fails
 * the test: a skipped integration test is a failed one.
 */
final class LocalS3 {
    private LocalS3() {
    }

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: start the local servers with `dev/infra.sh up`"
                    + " and source their env file");
        }
        return value;
    }

    /** A configuration for a fresh, unique key prefix in the shared bucket. */
    static S3StoreConfig.Builder config() {
        return config(env("LIFEBOAT_S3_SECRET_KEY"));
    }

    static S3StoreConfig.Builder config(String secretKey) {
        return S3StoreConfig.builder(env("LIFEBOAT_S3_REGION"), env("LIFEBOAT_S3_BUCKET"))
                .endpoint(URI.create(env("LIFEBOAT_S3_ENDPOINT")))
                .pathStyle(true)
                .keyPrefix("it/store/" + UUID.randomUUID())
                .credentials(S3Credentials.of(env("LIFEBOAT_S3_ACCESS_KEY"), secretKey));
    }
}
