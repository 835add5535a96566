package io.lifeboat.restore.health;

import io.lifeboat.restore.config.ServiceIdentityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once started: the restore service answers its requests without any external server yet.
 * Reports its name and version so a probe's answer also tells which build is in rotation.
 */
@Readiness
@ApplicationScoped
public final class RestoreReadinessCheck implements HealthCheck {
    private final ServiceIdentityConfig identity;

    RestoreReadinessCheck(ServiceIdentityConfig identity) {
        this.identity = identity;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(identity.name()).up().withData("version", identity.version()).build();
    }
}
