package io.lifeboat.common.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.BlobType;
import io.lifeboat.common.repository.CheckReport;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.OpenOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.RepositoryChecker;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotSpec;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A repository in memory with a hand-moved clock, and builders of file-like snapshots. */
final class MaintenanceFixture {
    static final char[] PASSWORD = "prune-test".toCharArray();

    /** The store itself, for tests that read or plant objects behind the repository's back. */
    final ObjectStore memory;
    final FaultInjectingStore store;
    final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));

    MaintenanceFixture(long packSizeTarget) {
        this(packSizeTarget, new InMemoryObjectStore());
    }

    MaintenanceFixture(long packSizeTarget, ObjectStore raw) {
        this.memory = raw;
        this.store = new FaultInjectingStore(raw);
        Repositories.init(store, PASSWORD, InitOptions.forTests().withPackSizeTarget(packSizeTarget), options("init@test")).close();
    }

    OpenOptions options(String actor) {
        return OpenOptions.defaults().withActor(actor).withClock(clock);
    }

    PackRepository open() {
        return open("tester@test");
    }

    PackRepository open(String actor) {
        return Repositories.open(store, PASSWORD, options(actor));
    }

    static PruneOptions pruneOptions() {
        return PruneOptions.defaults().withLease(Duration.ofHours(1), Duration.ZERO, d -> { });
    }

    PruneReport prune() {
        return prune(pruneOptions());
    }

    PruneReport prune(PruneOptions options) {
        try (PackRepository repo = open("pruner@test")) {
            return Prune.run(repo, options);
        }
    }

    void forget(Snapshot... snapshots) {
        try (PackRepository repo = open("admin@test")) {
            Maintenance.forget(repo, java.util.Arrays.stream(snapshots).map(s -> s.id().hex()).toList(), "admin@test");
        }
    }

    /** Read-data and metadata check of the whole repository from a fresh session: both without errors. */
    CheckReport assertChecksClean() {
        try (PackRepository repo = open()) {
            RepositoryChecker checker = new RepositoryChecker(repo);
            CheckReport meta = checker.checkMetadata();
            assertThat(meta.errors()).as("metadata errors").isEmpty();
            CheckReport data = checker.readData(100);
            assertThat(data.errors()).as("read-data errors").isEmpty();
            assertThat(data.damagedPacks()).isEmpty();
            return data;
        }
    }

    /** Loads every blob of every snapshot's tree from a fresh session. */
    void assertEverySnapshotLoads() {
        try (PackRepository repo = open()) {
            for (Snapshot s : repo.snapshots()) {
                List<BlobId> todo = new ArrayList<>(List.of(s.root()));
                while (!todo.isEmpty()) {
                    BlobId tree = todo.remove(todo.size() - 1);
                    new JsonTreeReferences().references(tree, repo.loadBlob(tree), data -> repo.loadBlob(data), todo::add);
                }
            }
        }
    }

    List<String> keys(String prefix) {
        List<String> out = new ArrayList<>();
        memory.list(prefix, i -> out.add(i.key()));
        out.sort(null);
        return out;
    }

    List<String> packs() {
        return keys(RepositoryLayout.DATA);
    }

    // ---------------------------------------------------------------- snapshots

    static byte[] content(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A tree of docs/tree-format.md with one file node per entry of {@code files} and one dir node per subtree. */
    static byte[] tree(Map<String, List<BlobId>> files, Map<String, BlobId> dirs) {
        StringBuilder sb = new StringBuilder("{\"version\":1,\"nodes\":[");
        String sep = "";
        for (var d : new java.util.TreeMap<>(dirs).entrySet()) {
            sb.append(sep).append("{\"name\":\"").append(d.getKey()).append("\",\"type\":\"dir\",\"mode\":493,\"mtime\":0,\"size\":0,\"subtree\":\"")
                .append(d.getValue().hex()).append("\"}");
            sep = ",";
        }
        for (var f : new java.util.TreeMap<>(files).entrySet()) {
            sb.append(sep).append("{\"name\":\"").append(f.getKey()).append("\",\"type\":\"file\",\"mode\":420,\"mtime\":0,\"size\":1,\"content\":[");
            String s2 = "";
            for (BlobId id : f.getValue()) {
                sb.append(s2).append('"').append(id.hex()).append('"');
                s2 = ",";
            }
            sb.append("]}");
            sep = ",";
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Saves each content as a file in a subdirectory {@code sub} of the root and returns the root tree id (not committed). */
    static BlobId saveTree(PackRepository repo, String name, List<byte[]> contents) {
        Map<String, List<BlobId>> files = new java.util.TreeMap<>();
        for (int i = 0; i < contents.size(); i++) {
            byte[] c = contents.get(i);
            BlobId id = repo.blobId(c);
            repo.saveBlob(BlobType.DATA, id, c, 0, c.length);
            files.put(String.format("f%03d", i), List.of(id));
        }
        byte[] sub = tree(files, Map.of());
        repo.saveBlob(BlobType.TREE, sub);
        byte[] root = tree(Map.of(), Map.of(name, repo.blobId(sub)));
        repo.saveBlob(BlobType.TREE, root);
        return repo.blobId(root);
    }

    Snapshot commit(PackRepository repo, BlobId root, String path) {
        return repo.commitSnapshot(new SnapshotSpec("files", root, "host", "user", List.of(path), List.of(), null, clock.instant(),
            Map.of(), Map.of()));
    }

    /** One complete backup session of {@code contents} under {@code path}. */
    Snapshot backup(String path, List<byte[]> contents) {
        try (PackRepository repo = open("backup@test")) {
            return commit(repo, saveTree(repo, path.replace("/", ""), contents), path);
        }
    }

    static List<byte[]> contents(int count, int size, long seed) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(content(size, seed * 1000 + i));
        }
        return out;
    }
}
