package io.lifeboat.common.store.s3;

import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectLockMode;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectVersion;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.Retention;
import io.lifeboat.common.store.StoreCapabilities;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.UnsupportedStoreOperationException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.GetObjectRetentionResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * {@link ObjectStore} on an S3 bucket (AWS or any compatible server), on the synchronous AWS SDK
 * v2 client over the JDK's HTTP client ({@link JdkSdkHttpClient}: the SDK's URL-connection client
 * turns a server's refusal of an upload into an I/O error, see there).
 *
 * <p>Choices that matter:
 * <ul>
 *   <li>The SDK's own retries are switched off ({@link AwsRetryStrategy#doNotRetry()}): retry is
 *       the job of one decorator, {@code RetryingObjectStore}, so that backoff, attempt limits and
 *       metrics are the same for every adapter and a failure is never retried 3 x 3 times by two
 *       stacked layers.</li>
 *   <li>Request checksums are calculated and response checksums validated only when an operation
 *       requires them ({@code WHEN_REQUIRED}): Ceph RGW Pacific rejects the SDK's default trailing
 *       checksums. Integrity does not depend on them: every object is authenticated (AES-GCM)
 *       by the repository layer.</li>
 *   <li>Uploads are not aws-chunked ({@code chunkedEncodingEnabled(false)}). Over HTTPS the SDK
 *       sends {@code UNSIGNED-PAYLOAD} either way; over plain HTTP it signs the payload, by default
 *       as signed aws-chunked encoding, and Ceph RGW 16 answers an empty one (nothing but the final
 *       chunk, as for an S3 folder marker {@code dir/}) with 400 XAmzContentSHA256Mismatch. Signed
 *       in one piece ({@code x-amz-content-sha256} = the body's SHA-256, as the AWS CLI does) it is
 *       accepted everywhere; the body is an array, so hashing it before sending costs one pass,
 *       as the chunk signatures did.</li>
 *   <li>Objects above {@link S3StoreConfig#multipartThreshold()} go by multipart upload, parts
 *       one after another; a failed upload is aborted so no parts are left behind to be billed.</li>
 *   <li>Every write carries the configured server-side-encryption headers.</li>
 * </ul>
 *
 * <p>Threading: safe for concurrent use (the SDK client is). Errors as the port says; see
 * {@link S3ErrorMapper} for the mapping.
 */
public final class S3ObjectStore implements ObjectStore {
    private final S3Client s3;
    private final JdkSdkHttpClient http;
    private final S3StoreConfig config;
    private final S3ErrorMapper errors;
    private final String description;
    private volatile StoreCapabilities capabilities;

    private S3ObjectStore(S3Client s3, JdkSdkHttpClient http, S3StoreConfig config) {
        this.s3 = s3;
        this.http = http;
        this.config = config;
        this.description = "s3://" + config.bucket() + "/" + config.keyPrefix()
                + config.endpoint().map(e -> " at " + e).orElse("") + " (region " + config.region() + ")";
        this.errors = new S3ErrorMapper(description);
    }

    /** Opens a store with a client built from the configuration. */
    public static S3ObjectStore open(S3StoreConfig config) {
        return open(config, b -> { });
    }

    /**
     * Opens a store, letting the caller adjust the client builder after the configuration is
     * applied (tests add execution interceptors or a stub HTTP client here).
     */
    public static S3ObjectStore open(S3StoreConfig config, Consumer<S3ClientBuilder> customizer) {
        Objects.requireNonNull(config, "config");
        // The SDK never closes a client it was given: this store does, in close().
        JdkSdkHttpClient http = new JdkSdkHttpClient(config.connectTimeout(), config.socketTimeout());
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentialsProvider(config.credentials()))
                .forcePathStyle(config.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .httpClient(http)
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(config.attemptTimeout()));
        config.endpoint().ifPresent(builder::endpointOverride);
        customizer.accept(builder);
        try {
            return new S3ObjectStore(builder.build(), http, config);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }

    private static AwsCredentialsProvider credentialsProvider(S3Credentials credentials) {
        return switch (credentials) {
            case S3Credentials.Static s -> StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey()));
            case S3Credentials.DefaultChain d -> DefaultCredentialsProvider.builder().build();
        };
    }

    private String fullKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/")) {
            throw new StoreException("invalid object key: " + key);
        }
        return config.keyPrefix() + key;
    }

    private String fullPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return config.keyPrefix() + prefix;
    }

    // Every SDK call below catches UncheckedIOException besides SdkException: some SDK HTTP
    // clients (the URL-connection one) let an I/O failure escape unwrapped.

    @Override
    public void put(String key, byte[] data, PutOptions options) {
        Objects.requireNonNull(data, "data");
        if (options.retention() != null && !capabilities().objectLock()) {
            throw new UnsupportedStoreOperationException(description + " has no Object Lock: cannot write " + key + " with retention");
        }
        if (data.length > config.multipartThreshold()) {
            putMultipart(key, data, options);
            return;
        }
        try {
            PutObjectRequest.Builder request = PutObjectRequest.builder()
                    .bucket(config.bucket())
                    .key(fullKey(key))
                    .contentLength((long) data.length);
            config.storageClass(options.kind()).ifPresent(request::storageClass);
            switch (config.serverSideEncryption()) {
                case S3ServerSideEncryption.None n -> { }
                case S3ServerSideEncryption.S3Managed m -> request.serverSideEncryption(ServerSideEncryption.AES256);
                case S3ServerSideEncryption.Kms k -> request.serverSideEncryption(ServerSideEncryption.AWS_KMS)
                        .ssekmsKeyId(k.kmsKeyId());
            }
            if (options.retention() != null) {
                // S3 wants a Content-MD5 on every write that carries Object Lock parameters.
                request.objectLockMode(lockMode(options.retention().mode()))
                        .objectLockRetainUntilDate(options.retention().retainUntil())
                        .contentMD5(md5(data, 0, data.length));
            }
            s3.putObject(request.build(), body(data, 0, data.length));
        } catch (SdkException | UncheckedIOException e) {
            throw errors.map("put", key, e);
        }
    }

    private static RequestBody body(byte[] data, int offset, int length) {
        // A content provider over the caller's array: no copy, and the SDK can re-open it.
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, offset, length),
                length, "application/octet-stream");
    }

    private void putMultipart(String key, byte[] data, PutOptions options) {
        String uploadId;
        try {
            CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                    .bucket(config.bucket())
                    .key(fullKey(key));
            config.storageClass(options.kind()).ifPresent(create::storageClass);
            switch (config.serverSideEncryption()) {
                case S3ServerSideEncryption.None n -> { }
                case S3ServerSideEncryption.S3Managed m -> create.serverSideEncryption(ServerSideEncryption.AES256);
                case S3ServerSideEncryption.Kms k -> create.serverSideEncryption(ServerSideEncryption.AWS_KMS)
                        .ssekmsKeyId(k.kmsKeyId());
            }
            if (options.retention() != null) {
                create.objectLockMode(lockMode(options.retention().mode()))
                        .objectLockRetainUntilDate(options.retention().retainUntil());
            }
            uploadId = s3.createMultipartUpload(create.build()).uploadId();
        } catch (SdkException | UncheckedIOException e) {
            throw errors.map("multipart create", key, e);
        }
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (int offset = 0; offset < data.length; offset += config.partSize(), partNumber++) {
                int length = Math.min(config.partSize(), data.length - offset);
                int number = partNumber;
                String partMd5 = options.retention() == null ? null : md5(data, offset, length);
                UploadPartResponse part = s3.uploadPart(r -> r.bucket(config.bucket()).key(fullKey(key))
                        .uploadId(uploadId).partNumber(number).contentLength((long) length).contentMD5(partMd5),
                        body(data, offset, length));
                parts.add(CompletedPart.builder().partNumber(number).eTag(part.eTag()).build());
            }
            s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                    .bucket(config.bucket()).key(fullKey(key)).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)).build());
        } catch (RuntimeException e) {
            StoreException mapped = e instanceof SdkException || e instanceof UncheckedIOException
                    ? errors.map("multipart put", key, e)
                    : new StoreException("S3 multipart put of " + key + " in " + description + " failed: " + e, e);
            abort(key, uploadId, mapped);
            throw mapped;
        }
        if (options.retention() != null) {
            // Ceph RGW 16 ignores the lock headers of CreateMultipartUpload (AWS applies them):
            // set the retention on the completed object as well; the same date again is harmless.
            extendRetention(key, options.retention());
        }
    }

    private void abort(String key, String uploadId, StoreException failure) {
        try {
            s3.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                    .bucket(config.bucket()).key(fullKey(key)).uploadId(uploadId).build());
        } catch (SdkException | UncheckedIOException e) {
            // The original failure is what the caller needs; a bucket lifecycle rule for
            // incomplete uploads cleans up what this could not.
            failure.addSuppressed(e);
        }
    }

    @Override
    public byte[] get(String key) {
        try {
            return s3.getObjectAsBytes(r -> r.bucket(config.bucket()).key(fullKey(key))).asByteArrayUnsafe();
        } catch (SdkException | UncheckedIOException e) {
            throw errors.map("get", key, e);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new StoreException("invalid range " + offset + "+" + length + " for " + key);
        }
        if (length == 0) {
            // HTTP cannot express an empty range; check the object and the bounds instead.
            ObjectInfo info = stat(key).orElseThrow(() -> new ObjectNotFoundException(key));
            if (offset > info.size()) {
                throw pastEnd(key, offset, length, info.size());
            }
            return new byte[0];
        }
        ResponseBytes<GetObjectResponse> bytes;
        try {
            String range = "bytes=" + offset + "-" + (offset + length - 1);
            bytes = s3.getObjectAsBytes(r -> r.bucket(config.bucket()).key(fullKey(key)).range(range));
        } catch (SdkException | UncheckedIOException e) {
            throw errors.map("ranged get", key, e);
        }
        byte[] data = bytes.asByteArrayUnsafe();
        if (data.length != length) {
            // S3 answers a range that runs past the end with the bytes that exist.
            throw pastEnd(key, offset, length, offset + data.length);
        }
        return data;
    }

    private static StoreException pastEnd(String key, long offset, int length, long size) {
        return new StoreException("range " + offset + "+" + length + " runs past the end of " + key
                + " (" + size + " bytes)");
    }

    @Override
    public InputStream open(String key) {
        try {
            return s3.getObject(r -> r.bucket(config.bucket()).key(fullKey(key)));
        } catch (SdkException | UncheckedIOException e) {
            throw errors.map("open", key, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        try {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(config.bucket()).key(fullKey(key)));
            return Optional.of(new ObjectInfo(key, head.contentLength(), head.lastModified(), head.eTag()));
        } catch (SdkException | UncheckedIOException e) {
            StoreException mapped = errors.map("stat", key, e);
            if (mapped instanceof ObjectNotFoundException) {
                return Optional.empty();
            }
            throw mapped;
        }
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> consumer) {
        String full = fullPrefix(prefix);
        int strip = config.keyPrefix().length();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder()
                    .bucket(config.bucket()).prefix(full).build();
            for (S3Object o : s3.listObjectsV2Paginator(request).contents()) {
                consumer.accept(new ObjectInfo(o.key().substring(strip), o.size(), o.lastModified(), o.eTag()));
            }
        } catch (SdkException | UncheckedIOException e) {
            throw errors.map("list", prefix.isEmpty() ? null : prefix + "*", e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(r -> r.bucket(config.bucket()).key(fullKey(key)));
        } catch (SdkException | UncheckedIOException e) {
            StoreException mapped = errors.map("delete", key, e);
            if (!(mapped instanceof ObjectNotFoundException)) {
                throw mapped;
            }
        }
    }

    // ------------------------------------------------------------ versions and Object Lock

    /**
     * Asks the bucket once (GetBucketVersioning, GetObjectLockConfiguration) and remembers the
     * answer. A server that does not implement either call (S3Proxy: 501) or refuses it has neither
     * capability; a transient failure is thrown and asked again next time.
     */
    @Override
    public StoreCapabilities capabilities() {
        StoreCapabilities known = capabilities;
        if (known != null) {
            return known;
        }
        boolean versioning;
        try {
            versioning = s3.getBucketVersioning(r -> r.bucket(config.bucket())).status() == BucketVersioningStatus.ENABLED;
        } catch (SdkException | UncheckedIOException e) {
            StoreException mapped = errors.map("get bucket versioning", null, e);
            if (mapped instanceof io.lifeboat.common.store.TransientStoreException) {
                throw mapped;
            }
            versioning = false;
        }
        boolean lock = false;
        if (versioning) {
            try {
                var conf = s3.getObjectLockConfiguration(r -> r.bucket(config.bucket())).objectLockConfiguration();
                lock = conf != null && conf.objectLockEnabled() == ObjectLockEnabled.ENABLED;
            } catch (SdkException | UncheckedIOException e) {
                StoreException mapped = errors.map("get object lock configuration", null, e);
                if (mapped instanceof io.lifeboat.common.store.TransientStoreException) {
                    throw mapped;
                }
            }
        }
        known = new StoreCapabilities(versioning, lock);
        capabilities = known;
        return known;
    }

    @Override
    public void listVersions(String prefix, Consumer<ObjectVersion> consumer) {
        requireVersioning();
        String full = fullPrefix(prefix);
        int strip = config.keyPrefix().length();
        List<ObjectVersion> out = new ArrayList<>();
        try {
            ListObjectVersionsRequest request = ListObjectVersionsRequest.builder().bucket(config.bucket()).prefix(full).build();
            for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(request)) {
                for (software.amazon.awssdk.services.s3.model.ObjectVersion v : page.versions()) {
                    out.add(new ObjectVersion(v.key().substring(strip), v.versionId(), Boolean.TRUE.equals(v.isLatest()), false,
                            v.size() == null ? 0 : v.size(), v.lastModified()));
                }
                for (DeleteMarkerEntry m : page.deleteMarkers()) {
                    out.add(new ObjectVersion(m.key().substring(strip), m.versionId(), Boolean.TRUE.equals(m.isLatest()), true, 0,
                            m.lastModified()));
                }
            }
        } catch (SdkException | UncheckedIOException e) {
            throw errors.map("list versions", prefix.isEmpty() ? null : prefix + "*", e);
        }
        // Versions and delete markers come in two lists; merge them newest first within a key.
        out.sort(Comparator.comparing(ObjectVersion::key)
                .thenComparing(ObjectVersion::latest, Comparator.reverseOrder())
                .thenComparing(ObjectVersion::lastModified, Comparator.nullsLast(Comparator.reverseOrder())));
        out.forEach(consumer);
    }

    @Override
    public byte[] getVersion(String key, String versionId) {
        requireVersioning();
        try {
            return s3.getObjectAsBytes(r -> r.bucket(config.bucket()).key(fullKey(key)).versionId(versionId)).asByteArrayUnsafe();
        } catch (SdkException | UncheckedIOException e) {
            throw errors.map("get version " + versionId, key, e);
        }
    }

    @Override
    public byte[] getVersionRange(String key, String versionId, long offset, int length) {
        requireVersioning();
        if (offset < 0 || length <= 0) {
            return ObjectStore.super.getVersionRange(key, versionId, offset, length);
        }
        byte[] data;
        try {
            String range = "bytes=" + offset + "-" + (offset + length - 1);
            data = s3.getObjectAsBytes(r -> r.bucket(config.bucket()).key(fullKey(key)).versionId(versionId).range(range))
                    .asByteArrayUnsafe();
        } catch (SdkException | UncheckedIOException e) {
            throw errors.map("ranged get of version " + versionId, key, e);
        }
        if (data.length != length) {
            throw pastEnd(key, offset, length, offset + data.length);
        }
        return data;
    }

    @Override
    public void deleteVersion(String key, String versionId) {
        requireVersioning();
        try {
            s3.deleteObject(r -> r.bucket(config.bucket()).key(fullKey(key)).versionId(versionId));
        } catch (SdkException | UncheckedIOException e) {
            StoreException mapped = errors.map("delete version " + versionId, key, e);
            if (!(mapped instanceof ObjectNotFoundException)) {
                throw mapped;
            }
        }
    }

    @Override
    public Optional<Retention> retention(String key) {
        requireLock();
        GetObjectRetentionResponse response;
        try {
            response = s3.getObjectRetention(r -> r.bucket(config.bucket()).key(fullKey(key)));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.statusCode() == 404 && code != null && code.contains("ObjectLockConfiguration")) {
                return Optional.empty(); // the object exists but carries no retention
            }
            throw errors.map("get object retention", key, e);
        } catch (SdkException | UncheckedIOException e) {
            throw errors.map("get object retention", key, e);
        }
        var r = response.retention();
        if (r == null || r.mode() == null || r.retainUntilDate() == null) {
            return Optional.empty();
        }
        ObjectLockMode mode = r.mode() == ObjectLockRetentionMode.COMPLIANCE ? ObjectLockMode.COMPLIANCE : ObjectLockMode.GOVERNANCE;
        return Optional.of(new Retention(mode, r.retainUntilDate()));
    }

    @Override
    public void extendRetention(String key, Retention retention) {
        requireLock();
        try {
            s3.putObjectRetention(r -> r.bucket(config.bucket()).key(fullKey(key))
                    .retention(o -> o.mode(ObjectLockRetentionMode.fromValue(retention.mode().name()))
                            .retainUntilDate(retention.retainUntil())));
        } catch (SdkException | UncheckedIOException e) {
            throw errors.map("put object retention", key, e);
        }
    }

    private void requireVersioning() {
        if (!capabilities().versioning()) {
            throw new UnsupportedStoreOperationException(description + " keeps no object versions (bucket versioning is off)");
        }
    }

    private void requireLock() {
        if (!capabilities().objectLock()) {
            throw new UnsupportedStoreOperationException(description + " has no Object Lock (the bucket must be created with it)");
        }
    }

    private static software.amazon.awssdk.services.s3.model.ObjectLockMode lockMode(ObjectLockMode mode) {
        return software.amazon.awssdk.services.s3.model.ObjectLockMode.fromValue(mode.name());
    }

    private static String md5(byte[] data, int offset, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(data, offset, length);
            return Base64.getEncoder().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        s3.close();
        http.close();
    }
}
