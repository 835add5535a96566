package io.lifeboat.common.store.s3;

import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.TransientStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sorts SDK failures into the port's three kinds. The rules, in order:
 * <ol>
 *   <li>404 with {@code NoSuchKey} (or a HEAD 404, which has no body) is
 *       {@link ObjectNotFoundException}; {@code NoSuchBucket} is permanent: a missing bucket is a
 *       configuration error, not a missing object.</li>
 *   <li>5xx, 429, throttling codes ({@code SlowDown}, {@code Throttling}, ...), S3's
 *       {@code RequestTimeout} and client-side timeouts, I/O errors (connection refused or reset)
 *       are {@link TransientStoreException}.</li>
 *   <li>501 {@code NotImplemented} is permanent: the server lacks a feature (S3Proxy answers it
 *       to server-side-encryption headers), and asking again will not add it.</li>
 *   <li>Everything else (403, 400, 416, credential errors) is a permanent
 *       {@link StoreException}.</li>
 * </ol>
 */
final class S3ErrorMapper {
    private static final Set<String> TRANSIENT_CODES = Set.of(
            "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests",
            "RequestThrottled", "RequestTimeout", "InternalError", "ServiceUnavailable",
            "BandwidthLimitExceeded", "OperationAborted");

    private final String where;

    /** @param where description of the store for messages, without credentials */
    S3ErrorMapper(String where) {
        this.where = where;
    }

    /** Maps an {@link SdkException} or an {@link UncheckedIOException} from the HTTP client. */
    StoreException map(String operation, String key, RuntimeException e) {
        String what = "S3 " + operation + (key == null ? "" : " of " + key) + " in " + where;
        if (e instanceof UncheckedIOException io) {
            return new TransientStoreException(what + " failed: " + rootMessage(io), e);
        }
        if (!(e instanceof SdkException sdk)) {
            return new StoreException(what + " failed: " + rootMessage(e), e);
        }
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String detail = status + (code == null ? "" : " " + code) + messageOf(service);
            if ("NoSuchBucket".equals(code)) {
                return new StoreException(what + " failed: bucket does not exist (" + detail + ")", e);
            }
            if (status == 404 && key != null && (code == null || "NoSuchKey".equals(code) || "NotFound".equals(code)
                    || "NoSuchVersion".equals(code))) {
                return new ObjectNotFoundException(key);
            }
            if (status == 501 || "NotImplemented".equals(code)) {
                return new StoreException(what + " failed: the server does not support this request (" + detail + ")", e);
            }
            if (status >= 500 || status == 429 || (code != null && TRANSIENT_CODES.contains(code))
                    || service.isThrottlingException()) {
                return new TransientStoreException(what + " failed: " + detail, e);
            }
            if (status == 403) {
                return new StoreException(what + " was refused: access denied (" + detail
                        + "); check the credentials and the bucket policy", e);
            }
            if (status == 416 || "InvalidRange".equals(code)) {
                return new StoreException(what + " failed: the range runs past the end of the object (" + detail + ")", e);
            }
            return new StoreException(what + " failed: " + detail, e);
        }
        if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
            return new TransientStoreException(what + " timed out", e);
        }
        if (e instanceof AbortedException) {
            return new StoreException(what + " was aborted (thread interrupted)", e);
        }
        if (e instanceof SdkClientException && hasIoCause(e)) {
            return new TransientStoreException(what + " failed: " + rootMessage(e), e);
        }
        if (sdk.retryable()) {
            return new TransientStoreException(what + " failed: " + rootMessage(e), e);
        }
        return new StoreException(what + " failed: " + rootMessage(e), e);
    }

    private static String messageOf(AwsServiceException e) {
        String m = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return m == null || m.isBlank() ? "" : ": " + m;
    }

    private static boolean hasIoCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        String first = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root == e || m == null || first.contains(m)) {
            return first;
        }
        return first + " (" + root.getClass().getSimpleName() + ": " + m + ")";
    }
}
