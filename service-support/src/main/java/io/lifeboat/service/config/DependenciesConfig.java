package io.lifeboat.service.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The external servers a service talks to, as far as the {@code dependencies} health group probes
 * them. Each endpoint is optional: an absent or empty value switches its check off. The defaults in
 * this jar's {@code META-INF/microprofile-config.properties} read the environment names that
 * {@code dev/infra.sh} writes. Immutable after start; safe to read from any thread.
 */
@ConfigMapping(prefix = "lifeboat.dependencies")
public interface DependenciesConfig {
    /**
     * S3 endpoint, e.g. {@code http://127.0.0.1:18080}; reachable when any HTTP answer comes back to a
     * {@code HEAD /}. Defaults to {@code LIFEBOAT_S3_ENDPOINT}; no check when unset.
     */
    Optional<URI> s3Endpoint();

    /**
     * Kafka bootstrap servers as comma-separated {@code host:port}; each must accept a TCP connection.
     * Defaults to {@code LIFEBOAT_KAFKA_BOOTSTRAP}; no check when unset.
     */
    Optional<List<String>> kafkaBootstrap();

    /**
     * KMS endpoint, e.g. {@code http://127.0.0.1:18090}; reachable when any HTTP answer comes back to a
     * {@code GET /health}. Defaults to {@code LIFEBOAT_KMS_ENDPOINT}; no check when unset.
     */
    Optional<URI> kmsEndpoint();

    /**
     * Budget of one probe: TCP connect, or HTTP connect plus answer. Kept short because a probe that
     * hangs holds a health request. Defaults to {@code 2s}.
     */
    @WithDefault("2s")
    Duration timeout();
}
