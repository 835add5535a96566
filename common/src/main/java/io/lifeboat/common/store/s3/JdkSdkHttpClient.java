package io.lifeboat.common.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * An AWS SDK HTTP client on the JDK's {@link HttpClient} (HTTP/1.1).
 *
 * <p>Why not the SDK's URL-connection client: on a PUT that the server answers before reading the
 * body (403 for a wrong secret, 501 for an unsupported header), {@code HttpURLConnection} loses
 * the answer and throws "Error writing request body to server" or "Unexpected end of file".
 * Measured against S3Proxy, 40 refused PUTs each: the URL-connection client reported 0 to 4 of
 * them as the refusal and the rest as I/O errors, so an access-denied looked transient, was
 * retried, and reached the operator as a network error; this client reports 26 to 35 correctly
 * (the rest are S3Proxy closing the connection without an answer, which is transient and
 * retried). The JDK client reads the response while it still writes the body. The SDK's Apache
 * client would also do, but needs commons-logging, which the Quarkus services exclude.
 *
 * <p>{@code Expect: 100-continue} is not sent: after a server refuses the expectation with a final
 * status, the JDK client puts the connection back into its pool although the server closes it,
 * and the next request fails ("header parser received no bytes"). Without it the refused body is
 * sent in vain, which costs bandwidth only on the error path.
 *
 * <p>Timeouts: connect timeout on the client, a response timeout per request (until the status
 * line and headers arrive); the SDK's attempt timeout aborts slower bodies.
 *
 * <p>Threading: safe for concurrent use; connections are pooled by the JDK client.
 */
final class JdkSdkHttpClient implements SdkHttpClient {
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "expect", "connection", "upgrade");

    private final HttpClient http;
    private final Duration responseTimeout;

    JdkSdkHttpClient(Duration connectTimeout, Duration responseTimeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.responseTimeout = responseTimeout;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        SdkHttpRequest r = request.httpRequest();
        HttpRequest.Builder builder = HttpRequest.newBuilder(r.getUri()).timeout(responseTimeout);
        for (var header : r.headers().entrySet()) {
            if (!RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(v -> builder.header(header.getKey(), v));
            }
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (request.contentStreamProvider().isPresent()) {
            var provider = request.contentStreamProvider().get();
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(provider::newStream);
            long length = r.firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(-1L);
            // fromPublisher refuses a zero length; an empty body is noBody() (Content-Length: 0).
            body = length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
        }
        HttpRequest httpRequest = builder.method(r.method().name(), body).build();
        return new Call(httpRequest);
    }

    private final class Call implements ExecutableHttpRequest {
        private final HttpRequest request;
        private volatile CompletableFuture<HttpResponse<InputStream>> future;

        Call(HttpRequest request) {
            this.request = request;
        }

        @Override
        public HttpExecuteResponse call() throws IOException {
            future = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
            HttpResponse<InputStream> response;
            try {
                response = future.get();
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + request.method() + " " + request.uri());
            } catch (CancellationException e) {
                throw new IOException("request aborted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new IOException(cause == null ? "request failed" : cause.toString(), cause);
            }
            SdkHttpFullResponse.Builder head = SdkHttpFullResponse.builder().statusCode(response.statusCode());
            response.headers().map().forEach(head::putHeader);
            return HttpExecuteResponse.builder()
                    .response(head.build())
                    .responseBody(AbortableInputStream.create(response.body()))
                    .build();
        }

        @Override
        public void abort() {
            CompletableFuture<HttpResponse<InputStream>> f = future;
            if (f != null) {
                f.cancel(true);
            }
        }
    }

    @Override
    public String clientName() {
        return "JdkHttpClient";
    }

    @Override
    public void close() {
        // shutdown(), not close(): close() waits for every open response body, and a caller may
        // still hold a stream from ObjectStore.open().
        http.shutdown();
    }
}
