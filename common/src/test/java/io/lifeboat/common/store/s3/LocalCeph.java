package io.lifeboat.common.store.s3;

import io.lifeboat.testing.LocalInfra;
import java.util.Locale;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The shared Ceph RGW (started on demand by {@link LocalInfra#ceph()}) as Object Lock tests see it:
 * one bucket per JVM, created with Object Lock enabled by the main user, whose bucket policy gives
 * the users {@code lifeboat-backup} and {@code lifeboat-maintenance} exactly the two roles of
 * docs/security.md. Each configuration gets a fresh random key prefix, so tests never see each
 * other's objects (and need not wait for each other's locks to lapse).
 */
public final class LocalCeph {
    /** Who a store acts as. */
    public enum Role {
        /** The bucket's owner: everything (creating buckets, setting policies). */
        OWNER,
        /** Put, get, list, versions and retention; deletes only session markers under {@code locks/}. */
        BACKUP,
        /** The backup role plus deleting objects and versions (which Object Lock still refuses while locked). */
        MAINTENANCE
    }

    private static String bucket;

    private LocalCeph() {
    }

    public static LocalInfra infra() {
        return LocalInfra.ceph();
    }

    /** The bucket with Object Lock, created (with its role policy) on first use. */
    public static synchronized String lockedBucket() {
        if (bucket == null) {
            LocalInfra infra = infra();
            String name = "lifeboat-lock-" + UUID.randomUUID().toString().substring(0, 8);
            try (S3Client s3 = ownerClient()) {
                s3.createBucket(b -> b.bucket(name).objectLockEnabledForBucket(true));
                s3.putBucketPolicy(b -> b.bucket(name).policy(policy(name, infra.cephBackupUser(), infra.cephMaintenanceUser())));
            }
            bucket = name;
        }
        return bucket;
    }

    /**
     * The role policies of docs/security.md, as one bucket policy for the two Ceph users. RGW's
     * {@code *} does not match across {@code /}, so the session-marker statement spells the depth
     * of {@link #freshPrefix} ({@code it/<what>/<uuid>/locks/*}).
     */
    static String policy(String bucket, String backupUser, String maintenanceUser) {
        String readWrite = "\"s3:ListBucket\",\"s3:ListBucketVersions\",\"s3:GetBucketVersioning\",\"s3:GetBucketObjectLockConfiguration\","
            + "\"s3:GetObject\",\"s3:GetObjectVersion\",\"s3:PutObject\",\"s3:GetObjectRetention\",\"s3:PutObjectRetention\","
            + "\"s3:AbortMultipartUpload\"";
        String resources = "[\"arn:aws:s3:::" + bucket + "\",\"arn:aws:s3:::" + bucket + "/*\"]";
        return ("{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Sid\":\"Backup\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam:::user/%1$s\"]},"
            + "\"Action\":[%3$s],\"Resource\":%4$s},"
            + "{\"Sid\":\"BackupSessionMarkers\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam:::user/%1$s\"]},"
            + "\"Action\":[\"s3:DeleteObject\"],\"Resource\":[\"arn:aws:s3:::%5$s/it/*/*/locks/*\"]},"
            + "{\"Sid\":\"Maintenance\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam:::user/%2$s\"]},"
            + "\"Action\":[%3$s,\"s3:DeleteObject\",\"s3:DeleteObjectVersion\"],\"Resource\":%4$s}"
            + "]}").formatted(backupUser, maintenanceUser, readWrite, resources, bucket);
    }

    /** A configuration for {@code role} under {@code prefix} of the locked bucket. */
    public static S3StoreConfig.Builder config(Role role, String prefix) {
        LocalInfra infra = infra();
        return S3StoreConfig.builder(infra.get("LIFEBOAT_CEPH_S3_REGION"), lockedBucket())
            .endpoint(infra.cephS3Endpoint())
            .pathStyle(true)
            .keyPrefix(prefix)
            .credentials(switch (role) {
                case OWNER -> S3Credentials.of(infra.cephAccessKey(), infra.cephSecretKey());
                case BACKUP -> S3Credentials.of(infra.cephBackupAccessKey(), infra.cephBackupSecretKey());
                case MAINTENANCE -> S3Credentials.of(infra.cephMaintenanceAccessKey(), infra.cephMaintenanceSecretKey());
            });
    }

    /** A fresh random key prefix. */
    public static String freshPrefix(String what) {
        return "it/" + what.toLowerCase(Locale.ROOT) + "/" + UUID.randomUUID();
    }

    /** A raw SDK client as the bucket owner, for what the port does not do (buckets, policies). */
    public static S3Client ownerClient() {
        return ownerClient(infra().cephSecretKey());
    }

    /** The same with another secret (a wrong one, to see it refused). */
    public static S3Client ownerClient(String secret) {
        LocalInfra infra = infra();
        return S3Client.builder()
            .endpointOverride(infra.cephS3Endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            // Pacific rejects the SDK's default trailing checksums.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(infra.cephAccessKey(), secret)))
            .build();
    }
}
