package io.lifeboat.common.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.store.ObjectKind;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.TransientStoreException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * What the adapter puts on the wire, checked without a server: S3Proxy, our integration server,
 * refuses SSE headers with 501, so SSE is asserted here on the signed requests with a recording
 * interceptor and a stub HTTP client (S3ObjectStoreIT checks the real server's refusal).
 */
class S3ObjectStoreRequestTest {
    private static final int MIB = 1024 * 1024;

    private final RecordingInterceptor recorder = new RecordingInterceptor();

    private S3StoreConfig.Builder config() {
        return S3StoreConfig.builder("us-east-1", "bucket")
                .endpoint(URI.create("http://127.0.0.1:1"))
                .pathStyle(true)
                .keyPrefix("repo")
                .credentials(S3Credentials.of("AKIDEXAMPLE", "secret-example"))
                .multipartThreshold(6 * MIB)
                .partSize(5 * MIB);
    }

    private S3ObjectStore open(S3StoreConfig config, StubHttpClient http) {
        return S3ObjectStore.open(config, b -> b.httpClient(http)
                .overrideConfiguration(b.overrideConfiguration().toBuilder().addExecutionInterceptor(recorder).build()));
    }

    private static String header(SdkHttpRequest r, String name) {
        return r.firstMatchingHeader(name).orElse(null);
    }

    @Test
    void sseS3IsSentOnEveryWriteButNotOnReads() {
        try (S3ObjectStore store = open(config().serverSideEncryption(S3ServerSideEncryption.s3Managed()).build(),
                new StubHttpClient())) {
            store.put("config", new byte[10]);
            store.put("data/ab/pack", new byte[11 * MIB], PutOptions.of(ObjectKind.PACK));
        }
        List<SdkHttpRequest> puts = recorder.matching("PUT", "/bucket/repo/config");
        assertThat(puts).singleElement().satisfies(r ->
                assertThat(header(r, "x-amz-server-side-encryption")).isEqualTo("AES256"));
        SdkHttpRequest create = recorder.requests.stream()
                .filter(r -> r.rawQueryParameters().containsKey("uploads")).findFirst().orElseThrow();
        assertThat(header(create, "x-amz-server-side-encryption")).isEqualTo("AES256");
        // The SSE headers go on CreateMultipartUpload; S3 applies them to the parts.
        List<SdkHttpRequest> parts = recorder.matching("PUT", "/bucket/repo/data/ab/pack");
        assertThat(parts).hasSize(3).allSatisfy(r -> assertThat(r.rawQueryParameters()).containsKey("partNumber"));
    }

    @Test
    void sseKmsSendsTheKeyId() {
        String key = "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c";
        try (S3ObjectStore store = open(config().serverSideEncryption(S3ServerSideEncryption.kms(key)).build(),
                new StubHttpClient())) {
            store.put("snapshots/1", new byte[3]);
        }
        SdkHttpRequest put = recorder.matching("PUT", "/bucket/repo/snapshots/1").getFirst();
        assertThat(header(put, "x-amz-server-side-encryption")).isEqualTo("aws:kms");
        assertThat(header(put, "x-amz-server-side-encryption-aws-kms-key-id")).isEqualTo(key);
    }

    @Test
    void withoutSseNoHeaderIsSentAndStorageClassFollowsTheKind() {
        try (S3ObjectStore store = open(config().storageClass(ObjectKind.PACK, "STANDARD_IA").build(), new StubHttpClient())) {
            store.put("data/aa/p", new byte[3], PutOptions.of(ObjectKind.PACK));
            store.put("index/i", new byte[3], PutOptions.of(ObjectKind.METADATA));
        }
        SdkHttpRequest pack = recorder.matching("PUT", "/repo/data/aa/p").getFirst();
        SdkHttpRequest index = recorder.matching("PUT", "/repo/index/i").getFirst();
        assertThat(header(pack, "x-amz-storage-class")).isEqualTo("STANDARD_IA");
        assertThat(header(index, "x-amz-storage-class")).isNull();
        assertThat(header(pack, "x-amz-server-side-encryption")).isNull();
        // WHEN_REQUIRED: no trailing checksum (Ceph RGW Pacific rejects it).
        assertThat(header(pack, "x-amz-trailer")).isNull();
        assertThat(header(pack, "x-amz-sdk-checksum-algorithm")).isNull();
    }

    /**
     * Over plain HTTP the SDK signs the payload. It must do so in one piece (the body's SHA-256 in
     * {@code x-amz-content-sha256}), not as signed aws-chunked encoding: Ceph RGW 16 refuses an
     * empty aws-chunked PUT (only the final chunk, {@code x-amz-decoded-content-length: 0}) with
     * 400 XAmzContentSHA256Mismatch, so S3 folder markers could not be restored there.
     */
    @Test
    void payloadsOverPlainHttpAreSignedWholeNotAwsChunked() throws Exception {
        byte[] small = {1, 2, 3};
        byte[] big = new byte[11 * MIB];
        try (S3ObjectStore store = open(config().build(), new StubHttpClient())) {
            store.put("dir/", new byte[0]);
            store.put("config", small);
            store.put("data/ab/pack", big, PutOptions.of(ObjectKind.PACK));
        }
        assertSignedWhole(recorder.matching("PUT", "/bucket/repo/dir/").getFirst(), new byte[0]);
        assertSignedWhole(recorder.matching("PUT", "/bucket/repo/config").getFirst(), small);
        List<SdkHttpRequest> parts = recorder.matching("PUT", "/bucket/repo/data/ab/pack");
        assertThat(parts).hasSize(3);
        assertSignedWhole(parts.getFirst(), java.util.Arrays.copyOf(big, 5 * MIB));
        assertSignedWhole(parts.getLast(), java.util.Arrays.copyOfRange(big, 10 * MIB, 11 * MIB));
    }

    private static void assertSignedWhole(SdkHttpRequest r, byte[] body) throws Exception {
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        assertThat(header(r, "x-amz-content-sha256")).isEqualTo(sha256);
        assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(body.length));
        assertThat(header(r, "Content-Encoding")).isNull();
        assertThat(header(r, "x-amz-decoded-content-length")).isNull();
    }

    @Test
    void overHttpsThePayloadIsNeitherHashedNorAwsChunked() {
        try (S3ObjectStore store = open(config().endpoint(URI.create("https://127.0.0.1:1")).build(), new StubHttpClient())) {
            store.put("dir/", new byte[0]);
            store.put("config", new byte[] {1, 2, 3});
        }
        assertThat(recorder.requests.stream().filter(r -> r.method().name().equals("PUT"))).hasSize(2).allSatisfy(r -> {
            assertThat(header(r, "x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
            assertThat(header(r, "Content-Encoding")).isNull();
        });
    }

    @Test
    void theSdkDoesNotRetryOnItsOwn() {
        StubHttpClient failing = new StubHttpClient(r -> new StubHttpClient.Answer(503,
                "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"));
        try (S3ObjectStore store = open(config().build(), failing)) {
            assertThatThrownBy(() -> store.get("config")).isInstanceOf(TransientStoreException.class)
                    .hasMessageContaining("SlowDown");
        }
        assertThat(failing.requests).hasSize(1);
    }

    @Test
    void aFailedMultipartUploadIsAborted() {
        StubHttpClient failingPart = new StubHttpClient(r -> r.rawQueryParameters().containsKey("partNumber")
                && r.rawQueryParameters().get("partNumber").getFirst().equals("2")
                ? new StubHttpClient.Answer(403, "<Error><Code>AccessDenied</Code><Message>no</Message></Error>")
                : StubHttpClient.s3Like(r));
        try (S3ObjectStore store = open(config().build(), failingPart)) {
            assertThatThrownBy(() -> store.put("big", new byte[12 * MIB])).isExactlyInstanceOf(StoreException.class)
                    .hasMessageContaining("access denied");
        }
        assertThat(failingPart.requests).last().satisfies(r -> {
            assertThat(r.method().name()).isEqualTo("DELETE");
            assertThat(r.rawQueryParameters().get("uploadId")).containsExactly("upload-1");
        });
    }

    @Test
    void describeNamesBucketPrefixAndEndpointButNoCredentials() {
        try (S3ObjectStore store = open(config().build(), new StubHttpClient())) {
            assertThat(store.describe()).isEqualTo("s3://bucket/repo/ at http://127.0.0.1:1 (region us-east-1)")
                    .doesNotContain("secret-example").doesNotContain("AKIDEXAMPLE");
        }
    }
}
