package io.lifeboat.common.repository;

import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.index.IndexFile;
import io.lifeboat.common.keys.KeySlot;
import io.lifeboat.common.pack.PackEntry;
import io.lifeboat.common.pack.PackId;
import io.lifeboat.common.pack.PackReader;
import io.lifeboat.common.repository.CheckReport.DamagedPack;
import io.lifeboat.common.repository.CheckReport.Problem;
import io.lifeboat.common.repository.CheckReport.Severity;
import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.StoreException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifies a repository, independently of the in-memory index of the open session.
 *
 * <ul>
 *   <li>{@link #checkMetadata()}: every key slot parses; every index file decrypts and matches its
 *       name; every pack an index names exists with the indexed size; every snapshot verifies and
 *       its root blob is indexed; unindexed packs and duplicate entries are reported as warnings.
 *   <li>{@link #readData(double)}: downloads all packs or a deterministic subset, checks SHA-256
 *       against the pack id (needs no keys), parses the trailer, compares it with the index, and
 *       decrypts, decompresses and re-hashes every blob.
 * </ul>
 *
 * <p>Threading: one check at a time per instance; the checker reads in parallel itself.
 */
public final class RepositoryChecker {
    /**
     * Packs read and verified at once: each is held whole (16 to 24 MiB) with its decoded blobs,
     * so this bounds the heap; four keep two cores busy and hide a remote store's latency.
     */
    static final int PACKS_IN_MEMORY = 4;

    /** Larger objects under data/ are reported, not read (a pack is a few tens of MiB). */
    static final long MAX_PACK_BYTES = Integer.MAX_VALUE - 16;

    private final PackRepository repo;
    private final ObjectStore store;
    /**
     * Each pack worker reads every pack into one buffer of its own: allocating a fresh 16 to 24 MiB
     * array per pack filled the capped heap with arrays that outlived a young collection, and the
     * full collections that followed stopped every thread (about a second of a 1 GiB check).
     */
    private final ThreadLocal<byte[][]> packBuffers = ThreadLocal.withInitial(() -> new byte[1][]);

    public RepositoryChecker(PackRepository repo) {
        this.repo = repo;
        this.store = repo.store();
    }

    /** Checks metadata only; reads no pack content. */
    public CheckReport checkMetadata() {
        List<Problem> problems = Collections.synchronizedList(new ArrayList<>());
        Map<PackId, Long> stored = listPacks(problems);
        Map<PackId, IndexedPack> indexed = readIndexes(problems);

        for (Map.Entry<PackId, IndexedPack> e : indexed.entrySet()) {
            String key = RepositoryLayout.pack(e.getKey());
            Long size = stored.get(e.getKey());
            if (size == null) {
                problems.add(new Problem(Severity.ERROR, key, "pack named by " + e.getValue().indexKey + " is missing"));
            } else if (size != e.getValue().record.length()) {
                problems.add(new Problem(Severity.ERROR, key, "pack has " + size + " bytes, the index says " + e.getValue().record.length()));
            }
        }
        for (PackId id : stored.keySet()) {
            if (!indexed.containsKey(id)) {
                problems.add(new Problem(Severity.WARNING, RepositoryLayout.pack(id), "pack is in no index file (left by an interrupted run)"));
            }
        }
        Set<BlobId> seen = new HashSet<>();
        int duplicates = 0;
        for (IndexedPack p : indexed.values()) {
            for (PackEntry entry : p.record.entries()) {
                if (!seen.add(entry.id())) {
                    duplicates++;
                }
            }
        }
        if (duplicates > 0) {
            problems.add(new Problem(Severity.WARNING, RepositoryLayout.INDEX, duplicates + " blobs are stored in more than one pack"));
        }

        for (String key : PackRepository.listKeys(store, RepositoryLayout.KEYS)) {
            try {
                KeySlot.parse(RepositoryLayout.nameOf(RepositoryLayout.KEYS, key), store.get(key));
            } catch (UnsupportedFormatException e) {
                problems.add(new Problem(Severity.WARNING, key, e.getMessage()));
            } catch (RepositoryException | StoreException e) {
                problems.add(new Problem(Severity.ERROR, key, e.getMessage()));
            }
        }

        List<String> snapshotKeys = PackRepository.listKeys(store, RepositoryLayout.SNAPSHOTS);
        PackRepository.parallel(snapshotKeys, key -> {
            try {
                Snapshot s = repo.loadSnapshot(new SnapshotId(RepositoryLayout.nameOf(RepositoryLayout.SNAPSHOTS, key)));
                if (!seen.contains(s.root())) {
                    problems.add(new Problem(Severity.ERROR, key, "root blob " + s.root().shortHex() + " is in no index"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(Severity.ERROR, key, "malformed snapshot name"));
            } catch (RepositoryException | StoreException e) {
                problems.add(new Problem(Severity.ERROR, key, e.getMessage()));
            }
            return null;
        });
        return new CheckReport(sorted(problems), List.of(), 0, 0, 0);
    }

    /**
     * Reads and verifies pack content. {@code percent} of 100 reads every pack; less reads the
     * packs whose id, as a fraction of 2^32 from its first four bytes, falls below it, so repeated
     * runs with the same percentage read the same packs and growing percentages read supersets.
     */
    public CheckReport readData(double percent) {
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percentage must be in (0, 100]");
        }
        List<Problem> problems = Collections.synchronizedList(new ArrayList<>());
        Map<PackId, Long> stored = listPacks(problems);
        Map<PackId, IndexedPack> indexed = readIndexes(problems);
        List<PackId> chosen = new ArrayList<>();
        for (PackId id : new TreeMap<>(stored).keySet()) {
            long first = io.lifeboat.common.format.ByteReader.u32At(id.toBytes(), 0);
            if (percent >= 100 || first < (long) (percent / 100.0 * (1L << 32))) {
                chosen.add(id);
            }
        }
        List<DamagedPack> damaged = Collections.synchronizedList(new ArrayList<>());
        AtomicLong blobs = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        onWorkers(chosen, id -> {
            IndexedPack ip = indexed.get(id);
            List<BlobId> held = ip == null ? List.of() : ip.record.entries().stream().map(PackEntry::id).toList();
            String key = RepositoryLayout.pack(id);
            try {
                long listed = stored.get(id);
                if (listed > MAX_PACK_BYTES) {
                    throw new RepositoryException(key + " has " + listed + " bytes, too large to read into memory");
                }
                int size = (int) listed;
                byte[] pack = packBuffer(size);
                store.getRangeInto(key, 0, size, pack, 0);
                bytes.addAndGet(size);
                if (!id.matches(Sha256.hash(pack, 0, size))) {
                    throw new CorruptObjectException(key + " is corrupt: content does not match its id");
                }
                List<PackEntry> entries = PackReader.entries(pack, size, repo.keys().metadataKey(), key);
                if (ip != null && !new HashSet<>(entries).containsAll(ip.record.entries())) {
                    throw new CorruptObjectException(key + " is corrupt: its trailer disagrees with " + ip.indexKey);
                }
                for (PackEntry e : entries) {
                    repo.codec().verify(e, pack, e.offset(), e.length(), key);
                    blobs.incrementAndGet();
                }
                if (held.isEmpty()) {
                    held = entries.stream().map(PackEntry::id).toList();
                }
            } catch (RepositoryException | StoreException e) {
                problems.add(new Problem(Severity.ERROR, key, e.getMessage()));
                damaged.add(new DamagedPack(id, key, e.getMessage(), held));
            }
            return null;
        });
        List<DamagedPack> sortedDamage = new ArrayList<>(damaged);
        sortedDamage.sort((a, b) -> a.pack().compareTo(b.pack()));
        return new CheckReport(sorted(problems), sortedDamage, chosen.size(), blobs.get(), bytes.get());
    }

    /** This thread's pack buffer, grown to hold {@code size} bytes (with an eighth to spare, so a little larger pack fits). */
    private byte[] packBuffer(int size) {
        byte[][] h = packBuffers.get();
        if (h[0] == null || h[0].length < size) {
            h[0] = null;
            h[0] = new byte[(int) Math.min(Integer.MAX_VALUE - 16, size + (long) size / 8)];
        }
        return h[0];
    }

    /**
     * In a versioned store, looks for what an attacker (or a mistake) hid: repository objects whose
     * current version is a delete marker that no verified prune or forget journal entry explains,
     * and content-named objects with a version whose content does not match the name (an
     * overwrite). Both are errors: the data is still there, and {@code --from-versions} reads it.
     * Older versions of config, key slots and journal entries are warnings (a key-slot change may
     * rewrite one). Returns an empty report for a store without versions.
     */
    public CheckReport checkVersions() {
        List<Problem> problems = new ArrayList<>();
        if (!store.capabilities().versioning()) {
            return new CheckReport(problems, List.of(), 0, 0, 0);
        }
        Map<String, List<io.lifeboat.common.store.ObjectVersion>> byKey = new TreeMap<>();
        store.listVersions("", v -> byKey.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(v));
        Set<String> deletedByMaintenance = new HashSet<>();
        for (PackRepository.JournalRecord r : repo.journal()) {
            if (r.entry() != null && ("prune".equals(r.entry().action()) || "forget".equals(r.entry().action()))) {
                deletedByMaintenance.addAll(r.entry().objects());
            }
        }
        for (Map.Entry<String, List<io.lifeboat.common.store.ObjectVersion>> e : byKey.entrySet()) {
            String key = e.getKey();
            if (!repositoryObject(key)) {
                continue;
            }
            List<io.lifeboat.common.store.ObjectVersion> all = e.getValue();
            List<io.lifeboat.common.store.ObjectVersion> data = all.stream().filter(v -> !v.deleteMarker()).toList();
            boolean hidden = !all.isEmpty() && all.get(0).deleteMarker();
            if (hidden && !data.isEmpty() && !deletedByMaintenance.contains(key)) {
                problems.add(new Problem(key.startsWith(RepositoryLayout.KEYS) ? Severity.WARNING : Severity.ERROR, key,
                    "deleted outside Lifeboat's maintenance: a delete marker hides " + data.size() + " version"
                        + (data.size() == 1 ? "" : "s") + " (read through it with --from-versions)"));
            }
            if (data.size() > 1) {
                if (VersionRecoveringStore.contentNamed(key)) {
                    String name = key.substring(key.lastIndexOf('/') + 1);
                    int bad = 0;
                    for (io.lifeboat.common.store.ObjectVersion v : data) {
                        try {
                            if (!Sha256.hex(store.getVersion(key, v.versionId())).equals(name)) {
                                bad++;
                            }
                        } catch (ObjectNotFoundException ex) {
                            // gone since the listing
                        }
                    }
                    if (bad > 0) {
                        problems.add(new Problem(Severity.ERROR, key, "overwritten: " + bad + " of its " + data.size()
                            + " versions do not match its name" + (hidden ? "" : " (--from-versions reads the authentic one)")));
                    }
                } else {
                    problems.add(new Problem(Severity.WARNING, key, "has " + (data.size() - 1) + " older version"
                        + (data.size() == 2 ? "" : "s") + " (overwritten)"));
                }
            }
        }
        return new CheckReport(sorted(problems), List.of(), 0, 0, 0);
    }

    /**
     * Applies {@code fn} to every pack on {@value #PACKS_IN_MEMORY} platform threads. Not virtual
     * threads: the work is CPU-bound, and the per-thread cipher, MAC, zstd context and scratch
     * buffers of {@link io.lifeboat.common.pack.BlobCodec} then live for the whole check instead
     * of being made again for every pack.
     */
    private static void onWorkers(List<PackId> packs, java.util.function.Function<PackId, Void> fn) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(PACKS_IN_MEMORY, r -> {
            Thread t = new Thread(r, "lifeboat-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<Void>> futures = new ArrayList<>(packs.size());
            for (PackId id : packs) {
                futures.add(pool.submit(() -> fn.apply(id)));
            }
            for (java.util.concurrent.Future<Void> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepositoryException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new RepositoryException(e.getCause().toString(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean repositoryObject(String key) {
        return key.equals(RepositoryLayout.CONFIG) || key.startsWith(RepositoryLayout.KEYS) || key.startsWith(RepositoryLayout.KEYRING)
            || key.startsWith(RepositoryLayout.DATA) || key.startsWith(RepositoryLayout.INDEX) || key.startsWith(RepositoryLayout.SNAPSHOTS)
            || key.startsWith(RepositoryLayout.JOURNAL);
    }

    private record IndexedPack(String indexKey, IndexFile.PackRecord record) {
    }

    private Map<PackId, Long> listPacks(List<Problem> problems) {
        Map<PackId, Long> packs = new HashMap<>();
        store.list(RepositoryLayout.DATA, (ObjectInfo i) -> {
            PackId id = RepositoryLayout.packIdOf(i.key());
            if (id == null) {
                problems.add(new Problem(Severity.WARNING, i.key(), "not a pack key"));
            } else {
                packs.put(id, i.size());
            }
        });
        return packs;
    }

    private Map<PackId, IndexedPack> readIndexes(List<Problem> problems) {
        Map<PackId, IndexedPack> indexed = Collections.synchronizedMap(new HashMap<>());
        PackRepository.parallel(PackRepository.listKeys(store, RepositoryLayout.INDEX), key -> {
            try {
                byte[] b = store.get(key);
                PackRepository.checkContentId(RepositoryLayout.INDEX, key, b);
                for (IndexFile.PackRecord p : IndexFile.open(b, repo.keys().metadataKey(), key)) {
                    indexed.putIfAbsent(p.id(), new IndexedPack(key, p));
                }
            } catch (ObjectNotFoundException e) {
                // deleted since the listing: nothing to check
            } catch (RepositoryException | StoreException e) {
                problems.add(new Problem(Severity.ERROR, key, e.getMessage()));
            }
            return null;
        });
        return indexed;
    }

    private static List<Problem> sorted(List<Problem> problems) {
        List<Problem> out = new ArrayList<>(problems);
        out.sort((a, b) -> a.severity() != b.severity() ? a.severity().compareTo(b.severity()) : a.object().compareTo(b.object()));
        return out;
    }
}
