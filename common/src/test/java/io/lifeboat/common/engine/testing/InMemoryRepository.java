package io.lifeboat.common.engine.testing;

import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.BlobType;
import io.lifeboat.common.repository.JournalEntry;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotId;
import io.lifeboat.common.repository.SnapshotSpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A test double of {@link Repository}: blobs in a map, ids by HMAC-SHA256 under a fixed key,
 * snapshots in a list. Thread-safe. Counts loads so tests can tell what was read.
 */
public final class InMemoryRepository implements Repository {
    private final Map<BlobId, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<BlobId, BlobType> types = new ConcurrentHashMap<>();
    private final List<Snapshot> snapshots = new CopyOnWriteArrayList<>();
    private final List<JournalEntry> journal = new CopyOnWriteArrayList<>();
    private final ChunkerParams params;
    public final AtomicInteger loads = new AtomicInteger();

    public InMemoryRepository() {
        this(new ChunkerParams("fixed-test", 4096, 4096, 4096, 0));
    }

    public InMemoryRepository(ChunkerParams params) {
        this.params = params;
    }

    @Override
    public String id() {
        return "00".repeat(32);
    }

    @Override
    public ChunkerParams chunkerParams() {
        return params;
    }

    @Override
    public BlobId blobId(byte[] data, int offset, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("test-id-key".getBytes(), "HmacSHA256"));
            mac.update(data, offset, length);
            return BlobId.of(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean contains(BlobId id) {
        return blobs.containsKey(id);
    }

    @Override
    public boolean saveBlob(BlobType type, BlobId id, byte[] data, int offset, int length) {
        byte[] copy = Arrays.copyOfRange(data, offset, offset + length);
        if (blobs.putIfAbsent(id, copy) == null) {
            types.put(id, type);
            return true;
        }
        return false;
    }

    /** Puts bytes under an id without checking it: for hand-crafted, malicious snapshots. */
    public void putRaw(BlobType type, BlobId id, byte[] data) {
        blobs.put(id, data.clone());
        types.put(id, type);
    }

    public void remove(BlobId id) {
        blobs.remove(id);
    }

    public int blobCount() {
        return blobs.size();
    }

    @Override
    public byte[] loadBlob(BlobId id) {
        byte[] b = blobs.get(id);
        if (b == null) {
            throw new RepositoryException("blob " + id.shortHex() + " is not in any index");
        }
        loads.incrementAndGet();
        return b.clone();
    }

    @Override
    public int blobLength(BlobId id) {
        byte[] b = blobs.get(id);
        if (b == null) {
            throw new RepositoryException("blob " + id.shortHex() + " is not in any index");
        }
        return b.length;
    }

    @Override
    public void flush() {
    }

    @Override
    public synchronized Snapshot commitSnapshot(SnapshotSpec spec) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((spec.toString() + System.nanoTime() + snapshots.size()).getBytes());
            Instant time = Instant.now();
            if (!snapshots.isEmpty() && !time.isAfter(snapshots.get(snapshots.size() - 1).time())) {
                time = snapshots.get(snapshots.size() - 1).time().plusNanos(1000);
            }
            Snapshot s = new Snapshot(SnapshotId.of(md.digest()), spec, time);
            snapshots.add(s);
            return s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<Snapshot> snapshots() {
        List<Snapshot> l = new ArrayList<>(snapshots);
        l.sort(Comparator.comparing(Snapshot::time));
        return l;
    }

    @Override
    public Snapshot snapshot(String idOrPrefix) {
        List<Snapshot> all = snapshots();
        if ("latest".equals(idOrPrefix)) {
            if (all.isEmpty()) {
                throw new RepositoryException("no snapshot");
            }
            return all.get(all.size() - 1);
        }
        List<Snapshot> m = all.stream().filter(s -> s.id().hex().startsWith(idOrPrefix)).toList();
        if (m.size() != 1) {
            throw new RepositoryException("no unique snapshot " + idOrPrefix);
        }
        return m.get(0);
    }

    @Override
    public Optional<Snapshot> latest(String sourceType, List<String> paths) {
        List<Snapshot> all = snapshots();
        for (int i = all.size() - 1; i >= 0; i--) {
            Snapshot s = all.get(i);
            if (s.sourceType().equals(sourceType) && s.paths().equals(paths)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Override
    public void appendJournal(JournalEntry entry) {
        journal.add(entry);
    }

    @Override
    public void close() {
    }
}
