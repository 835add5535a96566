package io.lifeboat.service.metrics;

import io.lifeboat.service.config.ServiceIdentityConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes every metric of this process say which service it comes from ({@code service} tag), so one
 * Prometheus query spans all services without relying on scrape labels, and publishes
 * {@code lifeboat_build_info{version=...} 1} so dashboards can show which build runs where.
 */
@Singleton
public final class ServiceMetricsSetup {
    private final ServiceIdentityConfig identity;

    ServiceMetricsSetup(ServiceIdentityConfig identity) {
        this.identity = identity;
    }

    /** Quarkus applies every {@link MeterFilter} bean to every registry before the first meter. */
    @Produces
    @Singleton
    MeterFilter serviceTag() {
        return MeterFilter.commonTags(Tags.of("service", identity.name()));
    }

    void registerBuildInfo(@Observes StartupEvent started, MeterRegistry registry) {
        Gauge.builder("lifeboat.build.info", () -> 1)
                .description("Always 1; the labels say which Lifeboat build this process runs")
                .tag("version", identity.version())
                .strongReference(true)
                .register(registry);
    }
}
