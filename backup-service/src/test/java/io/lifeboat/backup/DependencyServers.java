package io.lifeboat.backup;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Stand-ins for the servers of the dependencies group: a listening socket as Kafka, a JDK HTTP server
 * answering {@code /health} as the KMS, and a port nothing listens on as S3. Global to the module's
 * tests, so all {@code @QuarkusTest} classes share one application start.
 */
public final class DependencyServers implements QuarkusTestResourceLifecycleManager {
    private ServerSocket kafka;
    private HttpServer kms;

    @Override
    public Map<String, String> start() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try {
            kafka = new ServerSocket(0, 50, loopback);
            kms = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
            kms.createContext("/health", exchange -> {
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            kms.start();
            int closedPort;
            try (ServerSocket released = new ServerSocket(0, 50, loopback)) {
                closedPort = released.getLocalPort();
            }
            return Map.of(
                    "lifeboat.dependencies.kafka-bootstrap", "127.0.0.1:" + kafka.getLocalPort(),
                    "lifeboat.dependencies.kms-endpoint", "http://127.0.0.1:" + kms.getAddress().getPort(),
                    "lifeboat.dependencies.s3-endpoint", "http://127.0.0.1:" + closedPort,
                    // Generous: a loaded build machine may take seconds to answer the first request.
                    "lifeboat.dependencies.timeout", "20s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (kms != null) {
            kms.stop(0);
        }
        if (kafka != null) {
            try {
                kafka.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
