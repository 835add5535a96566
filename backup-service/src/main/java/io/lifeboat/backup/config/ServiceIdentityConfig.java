package io.lifeboat.backup.config;

import io.smallrye.config.ConfigMapping;

/**
 * Who this process is: the name and version it reports in health data, metrics and JSON logs.
 * Immutable after start; safe to read from any thread.
 */
@ConfigMapping(prefix = "lifeboat.service")
public interface ServiceIdentityConfig {
    /**
     * The service's name, e.g. {@code backup-service}: the {@code service} tag on every metric and the
     * name of the readiness check. Defaults to {@code backup-service}.
     */
    String name();

    /** The version being run. Defaults to the Maven project version ({@code quarkus.application.version}). */
    String version();
}
