package io.lifeboat.service.health;

import io.lifeboat.service.config.ServiceIdentityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once started: a service answers its requests without any external server. Reports its name
 * and version so a probe's answer also tells which build is in rotation. A service whose requests do
 * need a server (the catalog: its database) adds its own readiness check beside this one.
 */
@Readiness
@ApplicationScoped
public final class ServiceReadinessCheck implements HealthCheck {
    private final ServiceIdentityConfig identity;

    ServiceReadinessCheck(ServiceIdentityConfig identity) {
        this.identity = identity;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(identity.name()).up().withData("version", identity.version()).build();
    }
}
