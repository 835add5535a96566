package io.lifeboat.common.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.store.s3.LocalCeph;
import io.lifeboat.testing.LocalInfra;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Ceph RGW (optional server, started on demand) enforces versioning and Object Lock for real. */
class CephRgwServerIT {

    @Test
    void complianceRetentionRefusesDeletingTheLockedVersion() {
        LocalInfra infra = LocalInfra.ceph();
        String bucket = "infra-it-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Client s3 = LocalCeph.ownerClient(infra.cephSecretKey())) {
            s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
            String v1 = s3.putObject(b -> b.bucket(bucket).key("k")
                            .objectLockMode(ObjectLockMode.COMPLIANCE)
                            .objectLockRetainUntilDate(Instant.now().plus(1, ChronoUnit.DAYS)),
                    RequestBody.fromString("one")).versionId();
            String v2 = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("two")).versionId();
            assertThat(v1).isNotBlank().isNotEqualTo(v2);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(v1)).asUtf8String()).isEqualTo("one");
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String()).isEqualTo("two");

            assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v1)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(v1)).asUtf8String()).isEqualTo("one");
        }
    }

    @Test
    void wrongSecretIsRefused() {
        LocalInfra infra = LocalInfra.ceph();
        try (S3Client s3 = LocalCeph.ownerClient(infra.cephSecretKey() + "x")) {
            assertThatThrownBy(s3::listBuckets)
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }
}
