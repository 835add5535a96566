package io.lifeboat.common.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.store.ObjectKind;
import io.lifeboat.common.store.ObjectLockMode;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectStoreContractTest;
import io.lifeboat.common.store.ObjectVersion;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.Retention;
import io.lifeboat.common.store.StoreCapabilities;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.decorator.RetryPolicy;
import io.lifeboat.common.store.decorator.RetryingObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The S3 adapter against a real Ceph RGW bucket with Object Lock: the whole port contract,
 * versions and Object Lock included (PutObject with lock headers, GetObjectRetention,
 * PutObjectRetention, ListObjectVersions, GetObject by version), then the two least-privilege roles.
 * Objects stay behind in the per-JVM test bucket until their short locks lapse.
 */
class CephS3ObjectStoreIT extends ObjectStoreContractTest {

    @Override
    protected ObjectStore newStore() {
        return retrying(S3ObjectStore.open(LocalCeph.config(LocalCeph.Role.OWNER, LocalCeph.freshPrefix("store")).build()));
    }

    private static ObjectStore retrying(ObjectStore s) {
        return new RetryingObjectStore(s, new RetryPolicy(5, Duration.ofMillis(5), Duration.ofMillis(100), Duration.ofSeconds(30)));
    }

    @Test
    void theBucketReportsVersioningAndObjectLock() {
        assertThat(store.capabilities()).isEqualTo(StoreCapabilities.VERSIONED_WITH_LOCK);
    }

    @Test
    void theBackupRoleWritesLockedObjectsButCannotDeleteThemAndMaintenanceCannotDeleteALockedVersion() {
        String prefix = LocalCeph.freshPrefix("roles");
        try (ObjectStore backup = S3ObjectStore.open(LocalCeph.config(LocalCeph.Role.BACKUP, prefix).build());
             ObjectStore maintenance = S3ObjectStore.open(LocalCeph.config(LocalCeph.Role.MAINTENANCE, prefix).build())) {
            assertThat(backup.capabilities().objectLock()).isTrue();
            Retention r = new Retention(ObjectLockMode.COMPLIANCE, Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS));
            backup.put("snapshots/s1", new byte[] {1, 2, 3}, PutOptions.of(ObjectKind.METADATA).withRetention(r));
            backup.put("locks/backup-1", new byte[] {4});
            assertThat(backup.retention("snapshots/s1")).hasValue(r);
            backup.extendRetention("snapshots/s1", new Retention(ObjectLockMode.COMPLIANCE, r.retainUntil().plusSeconds(5)));

            assertThatThrownBy(() -> backup.delete("snapshots/s1")).isInstanceOf(StoreException.class).hasMessageContaining("access denied");
            backup.delete("locks/backup-1"); // its own session marker: allowed

            List<ObjectVersion> versions = new ArrayList<>();
            maintenance.listVersions("snapshots/", versions::add);
            assertThat(versions).hasSize(1);
            String id = versions.get(0).versionId();
            assertThatThrownBy(() -> backup.deleteVersion("snapshots/s1", id)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> maintenance.deleteVersion("snapshots/s1", id)).isInstanceOf(StoreException.class);
            assertThat(maintenance.getVersion("snapshots/s1", id)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aMultipartUploadCarriesItsLock() {
        String prefix = LocalCeph.freshPrefix("multipart");
        try (ObjectStore s = S3ObjectStore.open(LocalCeph.config(LocalCeph.Role.OWNER, prefix)
                .multipartThreshold(5 * 1024 * 1024).partSize(5 * 1024 * 1024).build())) {
            byte[] data = new byte[11 * 1024 * 1024];
            new java.util.Random(11).nextBytes(data);
            Retention r = new Retention(ObjectLockMode.COMPLIANCE, Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS));
            s.put("data/big", data, PutOptions.of(ObjectKind.PACK).withRetention(r));
            assertThat(s.retention("data/big")).hasValue(r);
            assertThat(s.get("data/big")).isEqualTo(data);
        }
    }
}
