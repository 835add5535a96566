package io.lifeboat.service.health;

import io.lifeboat.service.config.DependenciesConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.health.registry.HealthRegistries;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;

/**
 * Registers, at start, one check in the {@code dependencies} health group
 * ({@code @HealthGroup("dependencies")}, {@code /q/health/group/dependencies}) per configured
 * endpoint: {@code s3}, {@code kafka}, {@code kms}. Registered programmatically rather than as
 * annotated beans because a check exists only when its endpoint is configured. Not part of readiness:
 * an outage of these servers degrades a service, it must not take the pods out of rotation.
 */
@Singleton
public final class DependencyChecks {
    /** The health group's name, as in {@code /q/health/group/dependencies}. */
    public static final String GROUP = "dependencies";

    private final DependenciesConfig config;
    private final HttpClient client;
    private final List<String> registered = new ArrayList<>();

    DependencyChecks(DependenciesConfig config) {
        this.config = config;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    void register(@Observes StartupEvent started) {
        HealthRegistry group = HealthRegistries.getHealthGroupRegistry(GROUP);
        config.s3Endpoint().ifPresent(endpoint -> add(group, "s3",
                new HttpAnswerCheck("s3", client, endpoint, "HEAD", "/", config.timeout())));
        config.kafkaBootstrap().filter(servers -> !servers.isEmpty()).ifPresent(servers -> add(group, "kafka",
                new TcpConnectCheck("kafka", servers, config.timeout())));
        config.kmsEndpoint().ifPresent(endpoint -> add(group, "kms",
                new HttpAnswerCheck("kms", client, endpoint, "GET", "/health", config.timeout())));
    }

    void unregister(@Observes ShutdownEvent stopping) {
        HealthRegistry group = HealthRegistries.getHealthGroupRegistry(GROUP);
        registered.forEach(group::remove);
        registered.clear();
        client.close();
    }

    /**
     * Registers {@code check} to run on a worker thread: SmallRye Health calls a registered synchronous
     * check on the Vert.x event loop, where a probe waiting for its timeout would stall every request
     * of that loop (and a probe of this very process could never be answered).
     */
    private void add(HealthRegistry group, String id, HealthCheck check) {
        AsyncHealthCheck offEventLoop = () -> Uni.createFrom().item(check::call)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        group.register(id, offEventLoop);
        registered.add(id);
    }
}
