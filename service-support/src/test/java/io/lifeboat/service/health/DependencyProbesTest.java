package io.lifeboat.service.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probes of the dependencies group against a real listening socket, an HTTP server and a closed port. */
class DependencyProbesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static ServerSocket open;
    private static HttpServer http;
    private static HttpClient client;
    private static int closedPort;

    @BeforeAll
    static void start() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        open = new ServerSocket(0, 50, loopback);
        http = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        http.createContext("/", exchange -> {
            // 403 like an S3 server asked without a signature: still an answer, so reachable.
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/health") ? 200 : 403, -1);
            exchange.close();
        });
        http.start();
        try (ServerSocket released = new ServerSocket(0, 50, loopback)) {
            closedPort = released.getLocalPort();
        }
        client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    @AfterAll
    static void stop() throws IOException {
        client.close();
        http.stop(0);
        open.close();
    }

    @Test
    void tcpIsUpWhenEveryServerAccepts() {
        HealthCheckResponse response = new TcpConnectCheck("kafka", List.of("127.0.0.1:" + open.getLocalPort()), TIMEOUT).call();
        assertThat(response.getName()).isEqualTo("kafka");
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData()).hasValueSatisfying(data ->
                assertThat(data).containsEntry("127.0.0.1:" + open.getLocalPort(), "reachable"));
    }

    @Test
    void tcpIsDownWhenOneServerRefuses() {
        HealthCheckResponse response = new TcpConnectCheck("kafka",
                List.of("127.0.0.1:" + open.getLocalPort(), "127.0.0.1:" + closedPort), TIMEOUT).call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData()).hasValueSatisfying(data -> {
            assertThat(data).containsEntry("127.0.0.1:" + open.getLocalPort(), "reachable");
            assertThat(data.get("127.0.0.1:" + closedPort)).asString().contains("Connect");
        });
    }

    @Test
    void tcpIsDownForAMalformedServer() {
        HealthCheckResponse response = new TcpConnectCheck("kafka", List.of("no-port"), TIMEOUT).call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData()).hasValueSatisfying(data -> assertThat(data).containsEntry("no-port", "not host:port"));
    }

    @Test
    void httpIsUpForAnyAnswerAndReportsTheStatus() {
        URI endpoint = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
        HealthCheckResponse s3 = new HttpAnswerCheck("s3", client, endpoint, "HEAD", "/", TIMEOUT).call();
        HealthCheckResponse kms = new HttpAnswerCheck("kms", client, endpoint, "GET", "/health", TIMEOUT).call();
        assertThat(s3.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(s3.getData()).hasValueSatisfying(data -> assertThat(data).containsEntry("status", 403L));
        assertThat(kms.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(kms.getData()).hasValueSatisfying(data -> assertThat(data).containsEntry("status", 200L));
    }

    @Test
    void httpIsDownWhenNothingListensAndHidesCredentials() {
        URI endpoint = URI.create("http://user:secret@127.0.0.1:" + closedPort + "/bucket");
        HealthCheckResponse response = new HttpAnswerCheck("s3", client, endpoint, "HEAD", "/", TIMEOUT).call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData()).hasValueSatisfying(data -> {
            assertThat(data).containsEntry("endpoint", "http://127.0.0.1:" + closedPort);
            assertThat(data).containsKey("error");
            assertThat(data.values()).noneSatisfy(value -> assertThat(value).asString().contains("secret"));
        });
    }
}
