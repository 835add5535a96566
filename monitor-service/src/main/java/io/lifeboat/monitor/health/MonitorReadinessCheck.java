package io.lifeboat.monitor.health;

import io.lifeboat.monitor.config.ServiceIdentityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once started: the monitor service answers its requests without any external server yet.
 * Reports its name and version so a probe's answer also tells which build is in rotation.
 */
@Readiness
@ApplicationScoped
public final class MonitorReadinessCheck implements HealthCheck {
    private final ServiceIdentityConfig identity;

    MonitorReadinessCheck(ServiceIdentityConfig identity) {
        this.identity = identity;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(identity.name()).up().withData("version", identity.version()).build();
    }
}
