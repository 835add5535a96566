package io.lifeboat.catalog.health;

import io.lifeboat.catalog.config.ServiceIdentityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once started: the catalog service answers its requests without any external server yet.
 * Reports its name and version so a probe's answer also tells which build is in rotation.
 */
@Readiness
@ApplicationScoped
public final class CatalogReadinessCheck implements HealthCheck {
    private final ServiceIdentityConfig identity;

    CatalogReadinessCheck(ServiceIdentityConfig identity) {
        this.identity = identity;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(identity.name()).up().withData("version", identity.version()).build();
    }
}
