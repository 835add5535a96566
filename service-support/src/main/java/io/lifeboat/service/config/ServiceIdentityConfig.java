package io.lifeboat.service.config;

import io.smallrye.config.ConfigMapping;

/**
 * Who this process is: the name and version it reports in health data, metrics and JSON logs.
 * Immutable after start; safe to read from any thread.
 */
@ConfigMapping(prefix = "lifeboat.service")
public interface ServiceIdentityConfig {
    /**
     * The service's name, e.g. {@code backup-service}: the {@code service} tag on every metric and the
     * name of the liveness and readiness checks. No default: each service sets its own in
     * {@code application.properties}.
     */
    String name();

    /** The version being run. Defaults to the Maven project version ({@code quarkus.application.version}). */
    String version();
}
