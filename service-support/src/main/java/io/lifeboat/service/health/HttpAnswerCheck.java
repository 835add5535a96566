package io.lifeboat.service.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * UP when an HTTP endpoint answers at all, whatever the status: an S3 server says 403 to an unsigned
 * request and that still proves it is there, without pulling the AWS SDK into every service. Reports
 * the endpoint without credentials and, when up, the status it answered. Safe to call from several
 * threads (the JDK client is); never throws.
 */
final class HttpAnswerCheck implements HealthCheck {
    private final String name;
    private final HttpClient client;
    private final HttpRequest request;
    private final String endpoint;

    /**
     * @param method {@code HEAD} or {@code GET}
     * @param path   absolute path resolved against {@code endpoint}, e.g. {@code /health}
     */
    HttpAnswerCheck(String name, HttpClient client, URI endpoint, String method, String path, Duration timeout) {
        this.name = name;
        this.client = client;
        this.request = HttpRequest.newBuilder(endpoint.resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(timeout)
                .build();
        this.endpoint = endpoint.getScheme() + "://" + endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
    }

    @Override
    public HealthCheckResponse call() {
        try {
            HttpResponse<Void> answer = client.send(request, HttpResponse.BodyHandlers.discarding());
            return HealthCheckResponse.named(name).up()
                    .withData("endpoint", endpoint)
                    .withData("status", answer.statusCode())
                    .build();
        } catch (IOException unreachable) {
            return down(Probes.describe(unreachable));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        }
    }

    private HealthCheckResponse down(String error) {
        return HealthCheckResponse.named(name).down().withData("endpoint", endpoint).withData("error", error).build();
    }
}
