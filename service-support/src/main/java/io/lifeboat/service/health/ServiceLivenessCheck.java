package io.lifeboat.service.health;

import io.lifeboat.service.config.ServiceIdentityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** The process is alive while its event loop can answer this check, named after the service. */
@Liveness
@ApplicationScoped
public final class ServiceLivenessCheck implements HealthCheck {
    private final ServiceIdentityConfig identity;

    ServiceLivenessCheck(ServiceIdentityConfig identity) {
        this.identity = identity;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up(identity.name());
    }
}
