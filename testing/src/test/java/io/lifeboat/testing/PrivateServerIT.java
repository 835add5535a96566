package io.lifeboat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A private S3Proxy stops and comes back on the same endpoint, apart from the shared one. */
class PrivateServerIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void stopsAndRestartsOnTheSamePorts(@TempDir Path dir) throws Exception {
        try (PrivateServer s3 = LocalInfra.startPrivate("s3proxy", dir.resolve("s3"))) {
            URI endpoint = URI.create(s3.get("LIFEBOAT_S3_ENDPOINT"));
            assertNotEquals(18080, endpoint.getPort(), "a private instance must not use the shared port");
            // Anonymous requests are refused: the server runs, with auth on.
            assertEquals(403, status(endpoint));

            s3.stop();
            assertThrows(ConnectException.class, () -> status(endpoint));

            s3.restart();
            assertEquals(endpoint.toString(), s3.get("LIFEBOAT_S3_ENDPOINT"));
            assertEquals(403, status(endpoint));

            s3.kill();
            assertThrows(ConnectException.class, () -> status(endpoint));
            s3.restart();
            assertEquals(403, status(endpoint));
        }
    }

    private int status(URI endpoint) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(endpoint.resolve("/")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
