package io.lifeboat.common.store.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * An SDK HTTP client that never touches the network: it answers each request from a function,
 * for unit tests of what the adapter sends. By default it answers as S3 would for put and
 * multipart calls.
 */
final class StubHttpClient implements SdkHttpClient {
    /** A canned answer. */
    record Answer(int status, String body) {
    }

    final List<SdkHttpRequest> requests = new CopyOnWriteArrayList<>();
    private final Function<SdkHttpRequest, Answer> answers;

    StubHttpClient() {
        this(StubHttpClient::s3Like);
    }

    StubHttpClient(Function<SdkHttpRequest, Answer> answers) {
        this.answers = answers;
    }

    static Answer s3Like(SdkHttpRequest r) {
        boolean post = r.method().name().equals("POST");
        if (post && r.rawQueryParameters().containsKey("uploads")) {
            return new Answer(200, "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                    + "<UploadId>upload-1</UploadId></InitiateMultipartUploadResult>");
        }
        if (post && r.rawQueryParameters().containsKey("uploadId")) {
            return new Answer(200, "<CompleteMultipartUploadResult><ETag>\"e\"</ETag></CompleteMultipartUploadResult>");
        }
        return new Answer(200, "");
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                requests.add(request.httpRequest());
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream in = request.contentStreamProvider().get().newStream()) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
                Answer a = answers.apply(request.httpRequest());
                byte[] body = a.body.getBytes(StandardCharsets.UTF_8);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpFullResponse.builder().statusCode(a.status)
                                .putHeader("ETag", "\"etag\"")
                                .putHeader("Content-Length", Integer.toString(body.length))
                                .build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public void close() {
    }
}
