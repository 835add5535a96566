package io.lifeboat.common.maintenance;

import static io.lifeboat.common.maintenance.MaintenanceFixture.contents;
import static io.lifeboat.common.maintenance.MaintenanceFixture.saveTree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.CheckReport;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.ObjectLockSettings;
import io.lifeboat.common.repository.OpenOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.RepositoryChecker;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotSpec;
import io.lifeboat.common.repository.VersionRecoveringStore;
import io.lifeboat.common.store.ObjectLockMode;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectVersion;
import io.lifeboat.common.store.Retention;
import io.lifeboat.common.store.decorator.ForwardingObjectStore;
import io.lifeboat.common.store.local.LocalObjectStore;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Object Lock on a repository, against the versioned in-memory store (which enforces retention like
 * S3): what is written locked, how reuse extends locks (and how rarely it has to ask), that
 * maintenance never deletes a locked object, and that reading through versions recovers deletes and
 * overwrites. The same behaviour on a real Ceph RGW is in the CLI's ObjectLockCephIT.
 */
class ObjectLockTest {
    private static final char[] PASSWORD = "lock-test".toCharArray();
    private static final ObjectLockSettings LOCK = ObjectLockSettings.of(ObjectLockMode.COMPLIANCE, Duration.ofDays(10));

    private final InMemoryObjectStore memory = InMemoryObjectStore.versioned();
    private final CountingStore store = new CountingStore(memory);
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    @TempDir
    Path tmp;

    /** Counts the Object Lock calls that reach the store. */
    static final class CountingStore extends ForwardingObjectStore {
        final AtomicInteger retentionReads = new AtomicInteger();
        final AtomicInteger extensions = new AtomicInteger();

        CountingStore(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public Optional<Retention> retention(String key) {
            retentionReads.incrementAndGet();
            return super.retention(key);
        }

        @Override
        public void extendRetention(String key, Retention retention) {
            extensions.incrementAndGet();
            super.extendRetention(key, retention);
        }
    }

    private OpenOptions options() {
        return OpenOptions.defaults().withActor("lock@test").withClock(clock);
    }

    private void init() {
        Repositories.init(store, PASSWORD, InitOptions.forTests().withPackSizeTarget(16 * 1024).withObjectLock(LOCK), options()).close();
    }

    private PackRepository open() {
        return Repositories.open(store, PASSWORD, options());
    }

    private Snapshot backup(String path, List<byte[]> files) {
        try (PackRepository repo = open()) {
            BlobId root = saveTree(repo, path.replace("/", ""), files);
            return repo.commitSnapshot(new SnapshotSpec("files", root, "h", "u", List.of(path), List.of(), null, clock.instant(), Map.of(), Map.of()));
        }
    }

    private Instant until(String key) {
        return memory.retention(key).orElseThrow(() -> new AssertionError(key + " has no retention")).retainUntil();
    }

    private List<String> keys(String prefix) {
        List<String> out = new ArrayList<>();
        memory.list(prefix, i -> out.add(i.key()));
        return out;
    }

    @Test
    void initRefusesAStoreWithoutObjectLock() {
        InitOptions locked = InitOptions.forTests().withObjectLock(LOCK);
        assertThatThrownBy(() -> Repositories.init(new InMemoryObjectStore(), PASSWORD, locked))
            .isInstanceOf(RepositoryException.class).hasMessageContaining("Object Lock");
        assertThatThrownBy(() -> Repositories.init(new LocalObjectStore(tmp), PASSWORD, locked))
            .isInstanceOf(RepositoryException.class).hasMessageContaining("Object Lock");
    }

    @Test
    void everythingASnapshotNeedsIsWrittenLockedAtLeastAsLongAsItsManifest() {
        init();
        Snapshot s = backup("/a", contents(6, 5000, 1));
        Instant manifest = until(RepositoryLayout.snapshot(s.id()));
        assertThat(manifest).isAfterOrEqualTo(clock.instant().plus(LOCK.retention()));
        List<String> deps = new ArrayList<>(keys(RepositoryLayout.DATA));
        deps.addAll(keys(RepositoryLayout.INDEX));
        deps.addAll(keys(RepositoryLayout.KEYS));
        deps.addAll(keys(RepositoryLayout.KEYRING));
        deps.add(RepositoryLayout.CONFIG);
        assertThat(deps).hasSizeGreaterThan(5).allSatisfy(k -> assertThat(until(k)).as(k).isAfterOrEqualTo(manifest));
        assertThat(keys(RepositoryLayout.JOURNAL)).allSatisfy(k -> assertThat(until(k)).isAfter(clock.instant()));
        assertThat(keys(RepositoryLayout.RETENTION)).hasSize(1);
        try (PackRepository repo = open()) {
            assertThat(repo.config().objectLock()).isEqualTo(LOCK);
        }
    }

    @Test
    void aSnapshotReusingOldPacksExtendsTheirLocksAndAsksOnlyAboutWhatItMustExtend() {
        init();
        List<byte[]> data = contents(6, 5000, 2);
        backup("/a", data);
        List<String> packs = keys(RepositoryLayout.DATA);
        Instant firstLock = until(packs.get(0));

        // Eleven days later the first snapshot's own locks have lapsed; a new one reuses its packs.
        clock.advance(Duration.ofDays(11));
        store.retentionReads.set(0);
        Snapshot second = backup("/a", data);
        assertThat(keys(RepositoryLayout.DATA)).isEqualTo(packs); // all deduplicated
        Instant manifest = until(RepositoryLayout.snapshot(second.id()));
        assertThat(packs).allSatisfy(p -> assertThat(until(p)).isAfterOrEqualTo(manifest).isAfter(firstLock));
        assertThat(store.extensions.get()).isGreaterThanOrEqualTo(packs.size());
        // Known dates come from the first commit's retention record; the store is asked only about
        // objects whose known date is too early (to extend them, never shorten a longer lock).
        assertThat(store.retentionReads.get()).isEqualTo(store.extensions.get());

        // An hour later nothing needs extending (the slack covers it) and nothing is asked.
        clock.advance(Duration.ofHours(1));
        store.extensions.set(0);
        store.retentionReads.set(0);
        backup("/a", data);
        assertThat(store.extensions.get()).isZero();
        assertThat(store.retentionReads.get()).isZero();
    }

    @Test
    void withoutItsRecordsAReuseAsksTheStoreAndStillExtends() {
        init();
        List<byte[]> data = contents(4, 5000, 3);
        backup("/a", data);
        for (String k : keys(RepositoryLayout.RETENTION)) {
            memory.delete(k);
        }
        clock.advance(Duration.ofDays(11));
        Snapshot second = backup("/a", data);
        assertThat(store.retentionReads.get()).isPositive();
        Instant manifest = until(RepositoryLayout.snapshot(second.id()));
        assertThat(keys(RepositoryLayout.DATA)).allSatisfy(p -> assertThat(until(p)).isAfterOrEqualTo(manifest));
    }

    @Test
    void forgetRefusesALockedSnapshotAndPruneKeepsLockedPacks() {
        init();
        Snapshot old = backup("/old", contents(4, 5000, 4));
        backup("/new", contents(4, 5000, 5));
        try (PackRepository repo = open()) {
            assertThatThrownBy(() -> Maintenance.forget(repo, List.of(old.id().hex()), "m@test"))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("object lock retention");
        }
        assertThat(memory.exists(RepositoryLayout.snapshot(old.id()))).isTrue();

        // Past the manifest's lock it may be forgotten; its packs are still locked (extension slack)
        // until their own date, and prune keeps them, counting them.
        clock.advance(LOCK.retention().plusSeconds(5));
        try (PackRepository repo = open()) {
            Maintenance.forget(repo, List.of(old.id().hex()), "m@test");
        }
        List<String> packsBefore = keys(RepositoryLayout.DATA);
        PruneOptions now = MaintenanceFixture.pruneOptions().withGrace(Duration.ZERO).withRepackThreshold(1);
        try (PackRepository repo = open()) {
            Prune.run(repo, now);
        }
        PruneReport second;
        try (PackRepository repo = open()) {
            second = Prune.run(repo, now);
        }
        assertThat(second.retainedByLock()).isPositive();
        assertThat(second.deleted()).isZero();
        assertThat(keys(RepositoryLayout.DATA)).isEqualTo(packsBefore);
    }

    @Test
    void readingThroughVersionsRecoversADeletedManifestAndAnOverwrittenPack() {
        init();
        List<byte[]> data = contents(5, 5000, 6);
        Snapshot s = backup("/a", data);
        String pack = keys(RepositoryLayout.DATA).get(0);
        String index = keys(RepositoryLayout.INDEX).get(0);
        // The attacker: a plain delete of the manifest and the index, an overwrite of a pack.
        memory.delete(RepositoryLayout.snapshot(s.id()));
        memory.delete(index);
        memory.put(pack, new byte[] {1, 2, 3});

        try (PackRepository repo = open()) {
            assertThat(repo.snapshots()).isEmpty();
            CheckReport versions = new RepositoryChecker(repo).checkVersions();
            assertThat(versions.errors()).extracting(CheckReport.Problem::object)
                .contains(RepositoryLayout.snapshot(s.id()), index, pack);
        }
        VersionRecoveringStore view = new VersionRecoveringStore(memory);
        try (PackRepository repo = Repositories.open(view, PASSWORD, options())) {
            assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(s.id());
            assertThat(new RepositoryChecker(repo).checkMetadata().errors()).isEmpty();
            assertThat(new RepositoryChecker(repo).readData(100).errors()).isEmpty();
            List<BlobId> todo = new ArrayList<>(List.of(s.root()));
            int blobs = 0;
            while (!todo.isEmpty()) {
                BlobId tree = todo.remove(todo.size() - 1);
                new JsonTreeReferences().references(tree, repo.loadBlob(tree), b -> repo.loadBlob(b), todo::add);
                blobs++;
            }
            assertThat(blobs).isEqualTo(2);
        }
        assertThat(view.resolve(pack)).map(ObjectVersion::latest).hasValue(false);
        assertThatThrownBy(() -> view.delete(pack)).hasMessageContaining("read-only");
    }

    @Test
    void checkDoesNotFlagWhatMaintenanceDeleted() {
        init();
        Snapshot old = backup("/old", contents(2, 5000, 7));
        clock.advance(LOCK.retention().plus(LOCK.extensionSlack()).plusSeconds(5));
        try (PackRepository repo = open()) {
            Maintenance.forget(repo, List.of(old.id().hex()), "m@test");
            assertThat(new RepositoryChecker(repo).checkVersions().problems()).isEmpty();
        }
    }

    @Test
    void pruneMergesManyRetentionRecordsIntoOneWithoutLosingADate() {
        init();
        List<byte[]> data = contents(2, 3000, 8);
        for (int i = 0; i <= Prune.RETENTION_RECORDS_KEPT; i++) {
            clock.advance(Duration.ofDays(2)); // each backup extends something, so each writes a record
            backup("/a", data);
        }
        assertThat(keys(RepositoryLayout.RETENTION)).hasSizeGreaterThan(Prune.RETENTION_RECORDS_KEPT);
        try (PackRepository repo = open()) {
            Prune.run(repo, MaintenanceFixture.pruneOptions());
        }
        assertThat(keys(RepositoryLayout.RETENTION)).hasSize(1);
        // The merged record still knows every current lock: the next backup asks nothing.
        store.retentionReads.set(0);
        clock.advance(Duration.ofMinutes(1));
        backup("/a", data);
        assertThat(store.retentionReads.get()).isZero();
    }
}
