package io.lifeboat.common.store.s3;

import java.util.Objects;

/**
 * Server-side encryption requested on every write. Lifeboat already encrypts every object on the
 * client; this is for buckets whose policy demands SSE headers, and defence in depth.
 */
public sealed interface S3ServerSideEncryption {

    static S3ServerSideEncryption none() {
        return new None();
    }

    static S3ServerSideEncryption s3Managed() {
        return new S3Managed();
    }

    static S3ServerSideEncryption kms(String kmsKeyId) {
        return new Kms(kmsKeyId);
    }

    /** No SSE header; the bucket's default encryption (if any) applies. */
    record None() implements S3ServerSideEncryption {
    }

    /** {@code x-amz-server-side-encryption: AES256} (SSE-S3). */
    record S3Managed() implements S3ServerSideEncryption {
    }

    /**
     * {@code x-amz-server-side-encryption: aws:kms} with
     * {@code x-amz-server-side-encryption-aws-kms-key-id}.
     *
     * @param kmsKeyId key id, key ARN, alias name or alias ARN
     */
    record Kms(String kmsKeyId) implements S3ServerSideEncryption {
        public Kms {
            Objects.requireNonNull(kmsKeyId, "kmsKeyId");
            if (kmsKeyId.isBlank()) {
                throw new IllegalArgumentException("SSE-KMS needs a KMS key id");
            }
        }
    }
}
