package io.lifeboat.common.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.TransientStoreException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A refused PUT reaches the caller as that refusal (permanent), not as an I/O error (transient).
 *
 * <p>The server here reads the upload before answering. A server that answers before reading
 * (as S3 may for a bad signature) races the client's write: the JDK client reports the refusal
 * most of the time where the SDK's url-connection client almost never did, but not always, so an
 * early-refusal assertion would be a coin toss; the retrying decorator covers the rest (a
 * misreported refusal is retried and the next answer is the refusal).
 */
class JdkSdkHttpClientTest {
    private HttpServer server;
    private final AtomicInteger gets = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            int status;
            if (exchange.getRequestMethod().equals("GET")) {
                gets.incrementAndGet();
                status = 200;
                body = "hello".getBytes(StandardCharsets.UTF_8);
            } else {
                // Refuse at once, as S3 does for a bad signature, without reading the upload.
                status = 403;
                body = "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
                        .getBytes(StandardCharsets.UTF_8);
            }
            // Read the upload first: answering before it is read lets a connection reset destroy
            // the answer in flight, and the test would depend on timing.
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private S3ObjectStore store() {
        return S3ObjectStore.open(S3StoreConfig.builder("us-east-1", "bucket")
                .endpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .pathStyle(true)
                .credentials(S3Credentials.of("AKID", "secret"))
                .build());
    }

    @Test
    void aRefusedLargePutIsReportedAsTheRefusal() {
        try (S3ObjectStore store = store()) {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> store.put("data/big", new byte[4 * 1024 * 1024]))
                        .isExactlyInstanceOf(StoreException.class)
                        .isNotInstanceOf(TransientStoreException.class)
                        .hasMessageContaining("access denied");
            }
        }
    }

    @Test
    void plainReadsWork() {
        try (S3ObjectStore store = store()) {
            assertThat(new String(store.get("greeting"), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(gets).hasValue(1);
        }
    }
}
