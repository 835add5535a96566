package io.lifeboat.common.store.s3;

import io.lifeboat.common.store.ObjectKind;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the S3 adapter needs. Build with {@link #builder(String, String)}; every default is
 * stated on the builder method that changes it.
 *
 * @param endpoint the S3 endpoint, or empty for AWS's regional endpoint
 * @param region the signing region, e.g. {@code us-east-1}
 * @param bucket the bucket; it must exist
 * @param keyPrefix prefix put before every key, normalised to end with {@code /} (or empty)
 * @param pathStyle path-style addressing ({@code endpoint/bucket/key}), needed by most servers
 *     other than AWS
 * @param credentials where credentials come from
 * @param storageClasses storage class per object kind ({@code STANDARD_IA}, ...); a kind not in
 *     the map gets the bucket's default
 * @param multipartThreshold objects larger than this many bytes are written by multipart upload
 * @param partSize size of each multipart part in bytes (at least 5 MiB, S3's minimum)
 * @param serverSideEncryption SSE header sent with every write
 * @param connectTimeout TCP connect timeout
 * @param socketTimeout longest wait for a response's status and headers once a request is sent
 * @param attemptTimeout longest a single request may take, body included
 */
public record S3StoreConfig(
        Optional<URI> endpoint,
        String region,
        String bucket,
        String keyPrefix,
        boolean pathStyle,
        S3Credentials credentials,
        Map<ObjectKind, String> storageClasses,
        long multipartThreshold,
        int partSize,
        S3ServerSideEncryption serverSideEncryption,
        Duration connectTimeout,
        Duration socketTimeout,
        Duration attemptTimeout) {

    /** S3 refuses parts smaller than this (except the last). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    public S3StoreConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(serverSideEncryption, "serverSideEncryption");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("S3 bucket must not be blank");
        }
        if (region.isBlank()) {
            throw new IllegalArgumentException("S3 region must not be blank");
        }
        keyPrefix = normalisePrefix(keyPrefix);
        storageClasses = storageClasses.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(storageClasses));
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB, got " + partSize);
        }
        if (multipartThreshold < partSize) {
            throw new IllegalArgumentException("S3 multipart threshold (" + multipartThreshold
                    + ") must not be below the part size (" + partSize + ")");
        }
    }

    private static String normalisePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String p = prefix;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return "";
        }
        return p.endsWith("/") ? p : p + "/";
    }

    /** The storage class for a kind, or empty for the bucket's default. */
    public Optional<String> storageClass(ObjectKind kind) {
        return Optional.ofNullable(storageClasses.get(kind));
    }

    public static Builder builder(String region, String bucket) {
        return new Builder(region, bucket);
    }

    /** Builder with documented defaults. */
    public static final class Builder {
        private final String region;
        private final String bucket;
        private URI endpoint;
        private String keyPrefix = "";
        private boolean pathStyle;
        private S3Credentials credentials = S3Credentials.defaultChain();
        private final Map<ObjectKind, String> storageClasses = new EnumMap<>(ObjectKind.class);
        private long multipartThreshold = 32L * 1024 * 1024;
        private int partSize = 8 * 1024 * 1024;
        private S3ServerSideEncryption sse = S3ServerSideEncryption.none();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration socketTimeout = Duration.ofSeconds(60);
        private Duration attemptTimeout = Duration.ofMinutes(5);

        private Builder(String region, String bucket) {
            this.region = region;
            this.bucket = bucket;
        }

        /** Endpoint override for non-AWS servers. Defaults to none (AWS). */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Defaults to {@code ""} (the bucket root). */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        /** Defaults to {@code false} (virtual-hosted style, as AWS wants). */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /** Defaults to {@link S3Credentials#defaultChain()}. */
        public Builder credentials(S3Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Defaults to none: every kind gets the bucket's default class. */
        public Builder storageClass(ObjectKind kind, String storageClass) {
            storageClasses.put(kind, storageClass);
            return this;
        }

        /**
         * Defaults to 32 MiB: packs (~16 MiB) go in one PUT, which costs one request instead of
         * four and is atomic without a completion step.
         */
        public Builder multipartThreshold(long bytes) {
            this.multipartThreshold = bytes;
            return this;
        }

        /** Defaults to 8 MiB. */
        public Builder partSize(int bytes) {
            this.partSize = bytes;
            return this;
        }

        /** Defaults to {@link S3ServerSideEncryption#none()}. */
        public Builder serverSideEncryption(S3ServerSideEncryption sse) {
            this.sse = sse;
            return this;
        }

        /** Defaults to 10 seconds. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Defaults to 60 seconds. */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = timeout;
            return this;
        }

        /** Defaults to 5 minutes, enough for one 16 MiB part on a slow link. */
        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = timeout;
            return this;
        }

        public S3StoreConfig build() {
            return new S3StoreConfig(Optional.ofNullable(endpoint), region, bucket, keyPrefix, pathStyle,
                    credentials, storageClasses, multipartThreshold, partSize, sse, connectTimeout,
                    socketTimeout, attemptTimeout);
        }
    }
}
