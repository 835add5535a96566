package io.lifeboat.common.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.TransientStoreException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ErrorMapperTest {
    private final S3ErrorMapper mapper = new S3ErrorMapper("s3://bucket/repo/");

    private static S3Exception s3(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .build();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "500, InternalError, TRANSIENT",
        "503, SlowDown, TRANSIENT",
        "503, ServiceUnavailable, TRANSIENT",
        "502, null, TRANSIENT",
        "429, TooManyRequests, TRANSIENT",
        "400, RequestTimeout, TRANSIENT",
        "400, Throttling, TRANSIENT",
        "403, AccessDenied, PERMANENT",
        "403, SignatureDoesNotMatch, PERMANENT",
        "403, InvalidAccessKeyId, PERMANENT",
        "400, InvalidArgument, PERMANENT",
        "416, InvalidRange, PERMANENT",
        "501, NotImplemented, PERMANENT",
        "404, NoSuchBucket, PERMANENT",
        "404, NoSuchKey, NOT_FOUND",
        "404, null, NOT_FOUND",
    })
    void serviceErrorsAreSorted(int status, String code, String kind) {
        StoreException e = mapper.map("get", "data/ab/k", s3(status, code, "details"));
        switch (kind) {
            case "TRANSIENT" -> assertThat(e).isInstanceOf(TransientStoreException.class);
            case "NOT_FOUND" -> assertThat(e).isInstanceOf(ObjectNotFoundException.class);
            default -> assertThat(e).isExactlyInstanceOf(StoreException.class);
        }
    }

    @Test
    void messagesAreOneReadableLineNamingTheOperationKeyAndStore() {
        StoreException e = mapper.map("put", "config", s3(403, "AccessDenied", "Access Denied"));
        assertThat(e.getMessage())
                .isEqualTo("S3 put of config in s3://bucket/repo/ was refused: access denied (403 AccessDenied: Access Denied);"
                        + " check the credentials and the bucket policy")
                .doesNotContain("\n");
        assertThat(mapper.map("get", "config", s3(404, "NoSuchBucket", "gone")).getMessage())
                .contains("bucket does not exist");
    }

    @Test
    void theModelledNoSuchKeyIsNotFound() {
        NoSuchKeyException e = NoSuchKeyException.builder().statusCode(404).build();
        assertThat(mapper.map("get", "k", e)).isInstanceOf(ObjectNotFoundException.class).hasMessageContaining("k");
    }

    @Test
    void timeoutsAndIoFailuresAreTransient() {
        assertThat(mapper.map("get", "k", ApiCallAttemptTimeoutException.create(1000)))
                .isInstanceOf(TransientStoreException.class).hasMessageContaining("timed out");
        SdkClientException reset = SdkClientException.create("Unable to execute HTTP request",
                new IOException("Connection reset"));
        assertThat(mapper.map("get", "k", reset)).isInstanceOf(TransientStoreException.class)
                .hasMessageContaining("Connection reset");
        SdkClientException slow = SdkClientException.create("Unable to execute HTTP request",
                new SocketTimeoutException("Read timed out"));
        assertThat(mapper.map("put", "k", slow)).isInstanceOf(TransientStoreException.class);
        // The URL-connection client lets this one escape unwrapped from its 100-continue handling.
        assertThat(mapper.map("put", "k", new java.io.UncheckedIOException(new java.net.SocketException("Unexpected end of file from server"))))
                .isInstanceOf(TransientStoreException.class).hasMessageContaining("Unexpected end of file");
    }

    @Test
    void clientErrorsWithoutIoAreDeclaredPermanent() {
        SdkClientException noCredentials = SdkClientException.create("Unable to load credentials from any of the providers");
        assertThat(mapper.map("list", null, noCredentials)).isExactlyInstanceOf(StoreException.class)
                .hasMessageContaining("Unable to load credentials");
    }
}
