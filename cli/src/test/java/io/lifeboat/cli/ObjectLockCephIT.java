package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.engine.testing.TreeAssertions;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectVersion;
import io.lifeboat.common.store.Retention;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.s3.LocalCeph;
import io.lifeboat.common.store.s3.S3ObjectStore;
import io.lifeboat.testing.LocalInfra;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Immutable backups end to end on a real Ceph RGW (docs/design/object-lock.md): the CLI in-process,
 * backing up with the backup user and maintaining with the maintenance user of docs/security.md
 * (granted by {@link LocalCeph}'s bucket policy), into a bucket created with Object Lock, with locks
 * of seconds. Each test has its own key prefix; one Ceph serves them all.
 */
class ObjectLockCephIT {
    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>();
    private final List<ObjectStore> opened = new ArrayList<>();
    private String prefix;
    private String out;
    private String err;

    @BeforeEach
    void setUp() {
        LocalInfra infra = LocalCeph.infra();
        prefix = LocalCeph.freshPrefix("cli");
        env.put("LIFEBOAT_REPOSITORY", "s3:" + LocalCeph.lockedBucket() + "/" + prefix);
        env.put("LIFEBOAT_PASSWORD", "object lock test");
        env.put("LIFEBOAT_S3_ENDPOINT", infra.cephS3Endpoint().toString());
        env.put("LIFEBOAT_S3_REGION", infra.get("LIFEBOAT_CEPH_S3_REGION"));
        env.put("LIFEBOAT_S3_ACCESS_KEY", infra.cephBackupAccessKey());
        env.put("LIFEBOAT_S3_SECRET_KEY", infra.cephBackupSecretKey());
        env.put("LIFEBOAT_S3_MAINTENANCE_ACCESS_KEY", infra.cephMaintenanceAccessKey());
        env.put("LIFEBOAT_S3_MAINTENANCE_SECRET_KEY", infra.cephMaintenanceSecretKey());
    }

    @AfterEach
    void close() {
        opened.forEach(ObjectStore::close);
    }

    private ObjectStore store(LocalCeph.Role role) {
        ObjectStore s = S3ObjectStore.open(LocalCeph.config(role, prefix).build());
        opened.add(s);
        return s;
    }

    private int run(String... args) {
        InProcessCli.Result r = InProcessCli.execute(new FormatBackend(env), env, args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    private JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out);
    }

    private Path data(long seed) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data-" + seed));
        Random r = new Random(seed);
        for (int i = 0; i < 4; i++) {
            byte[] b = new byte[40_000 + i * 1000];
            r.nextBytes(b);
            Files.write(dir.resolve("f" + i), b);
        }
        return dir;
    }

    private String backup(Path dir) throws Exception {
        assertThat(run("backup", "--json", dir.toString())).as(err).isZero();
        return json().get("snapshot").asText();
    }

    private List<String> keys(ObjectStore s, String p) {
        List<String> k = new ArrayList<>();
        s.list(p, i -> k.add(i.key()));
        return k;
    }

    private void assertRestoresFromVersions(String snapshot, Path original, String target) throws Exception {
        Path into = tmp.resolve(target);
        assertThat(run("restore", snapshot, "--from-versions", "--target", into.toString())).as(out + err).isZero();
        TreeAssertions.assertSameTree(original, into.resolve(original.getFileName().toString()));
    }

    @Test
    void aLockedSnapshotSurvivesDeletesByTheBackupAndTheMaintenanceCredentials() throws Exception {
        assertThat(run("init", "--object-lock-duration", "PT60S")).as(err).isZero();
        assertThat(out).contains("object lock: COMPLIANCE, PT1M");
        Path dir = data(1);
        String snap = backup(dir);
        String manifest = RepositoryLayout.snapshot(new io.lifeboat.common.repository.SnapshotId(snap));

        // The backup credential cannot delete at all (its policy has no s3:DeleteObject).
        ObjectStore backup = store(LocalCeph.Role.BACKUP);
        assertThatThrownBy(() -> backup.delete(manifest)).isInstanceOf(StoreException.class).hasMessageContaining("access denied");
        String pack = keys(backup, RepositoryLayout.DATA).get(0);
        assertThatThrownBy(() -> backup.delete(pack)).isInstanceOf(StoreException.class);

        // Lifeboat's maintenance refuses: forget names the lock; prune deletes nothing.
        assertThat(run("forget", snap)).isEqualTo(ExitCodes.FAILURE);
        assertThat(err).contains("object lock retention");
        assertThat(run("prune", "--grace", "0s", "--lease-settle", "0s", "--json")).as(err).isZero();
        assertThat(json().get("packs_deleted").asInt()).isZero();

        // The maintenance credential itself cannot destroy a locked version (COMPLIANCE)...
        ObjectStore maintenance = store(LocalCeph.Role.MAINTENANCE);
        List<ObjectVersion> versions = new ArrayList<>();
        maintenance.listVersions(RepositoryLayout.SNAPSHOTS, versions::add);
        String versionId = versions.get(0).versionId();
        assertThatThrownBy(() -> maintenance.deleteVersion(manifest, versionId)).isInstanceOf(StoreException.class);
        // ...and a plain delete (which S3 allows, as a delete marker) hides nothing for good.
        maintenance.delete(manifest);
        maintenance.delete(pack);
        assertThat(run("snapshots", "--json")).isZero();
        assertThat(json()).isEmpty();
        assertThat(run("check")).isEqualTo(ExitCodes.FAILURE);
        assertThat(out).contains(manifest + ": deleted outside Lifeboat's maintenance");

        assertThat(run("snapshots", "--from-versions", "--json")).as(err).isZero();
        assertThat(json()).hasSize(1);
        assertThat(run("check", "--from-versions", "--read-data")).as(out + err).isEqualTo(ExitCodes.FAILURE);
        // Through versions everything verifies; the only errors left are the findings about what is hidden.
        assertThat(out.lines().filter(l -> l.startsWith("error: "))).isNotEmpty().allMatch(l -> l.contains("deleted outside"));
        assertRestoresFromVersions(snap, dir, "restored");
    }

    @Test
    void anOverwriteIsPassedOverAndTheAuthenticVersionRestoresBitForBit() throws Exception {
        assertThat(run("init", "--object-lock-duration", "PT60S")).as(err).isZero();
        Path dir = data(2);
        String snap = backup(dir);
        String manifest = RepositoryLayout.snapshot(new io.lifeboat.common.repository.SnapshotId(snap));
        ObjectStore backup = store(LocalCeph.Role.BACKUP);
        // s3:PutObject can overwrite: the attacker replaces every pack and the manifest with garbage.
        for (String pack : keys(backup, RepositoryLayout.DATA)) {
            backup.put(pack, "garbage".getBytes(StandardCharsets.UTF_8));
        }
        backup.put(manifest, "garbage".getBytes(StandardCharsets.UTF_8));

        assertThat(run("restore", snap, "--target", tmp.resolve("plain").toString())).isNotZero();
        assertThat(run("check")).isEqualTo(ExitCodes.FAILURE);
        assertThat(out).contains("overwritten");
        assertRestoresFromVersions(snap, dir, "restored");
    }

    @Test
    void aReusedPackWhoseOwnLockLapsedIsExtendedByTheNewSnapshot() throws Exception {
        assertThat(run("init", "--object-lock-duration", "PT4S")).as(err).isZero();
        Path dir = data(3);
        String first = backup(dir);
        // Objects belong to the user that wrote them; RGW lets the maintenance role (by policy) read their locks.
        ObjectStore owner = store(LocalCeph.Role.MAINTENANCE);
        List<String> packs = keys(owner, RepositoryLayout.DATA);
        Instant firstLock = packs.stream().map(p -> owner.retention(p).orElseThrow().retainUntil()).max(Instant::compareTo).orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(firstLock.plusSeconds(1)));

        String second = backup(dir);
        assertThat(keys(owner, RepositoryLayout.DATA)).containsExactlyInAnyOrderElementsOf(packs);
        Retention manifestLock = owner.retention(RepositoryLayout.snapshot(new io.lifeboat.common.repository.SnapshotId(second))).orElseThrow();
        for (String p : packs) {
            assertThat(owner.retention(p).orElseThrow().retainUntil()).as(p).isAfterOrEqualTo(manifestLock.retainUntil()).isAfter(firstLock);
        }
        for (String i : keys(owner, RepositoryLayout.INDEX)) {
            assertThat(owner.retention(i).orElseThrow().retainUntil()).as(i).isAfterOrEqualTo(manifestLock.retainUntil());
        }

        // The first snapshot's own lock has lapsed: it may be forgotten, but only with the maintenance credential.
        Map<String, String> maintenanceKeys = Map.of("LIFEBOAT_S3_MAINTENANCE_ACCESS_KEY", env.remove("LIFEBOAT_S3_MAINTENANCE_ACCESS_KEY"),
            "LIFEBOAT_S3_MAINTENANCE_SECRET_KEY", env.remove("LIFEBOAT_S3_MAINTENANCE_SECRET_KEY"));
        assertThat(run("forget", first)).isEqualTo(ExitCodes.FAILURE);
        assertThat(err).contains("access denied");
        env.putAll(maintenanceKeys);
        assertThat(run("forget", first)).as(err).isZero();
        assertThat(run("snapshots", "--json")).isZero();
        assertThat(json()).hasSize(1);
        assertThat(run("check")).as(out).isZero();
    }
}
