package io.lifeboat.common.index;

import io.lifeboat.common.pack.PackEntry;
import io.lifeboat.common.pack.PackId;
import io.lifeboat.common.repository.BlobId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every blob a repository knows, by id: which pack holds it and where. Built from all index
 * files at open and extended as a session uploads packs. When several packs hold the same blob
 * (two concurrent backups), the first one added wins; any copy is as good as another.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class MasterIndex {
    /** Where a blob is stored. */
    public record Location(PackId pack, PackEntry entry) {
    }

    private final ConcurrentHashMap<BlobId, Location> blobs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PackId, Long> packs = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();

    public void add(IndexFile.PackRecord pack) {
        packs.putIfAbsent(pack.id(), pack.length());
        for (PackEntry e : pack.entries()) {
            if (blobs.putIfAbsent(e.id(), new Location(pack.id(), e)) != null) {
                duplicates.incrementAndGet();
            }
        }
    }

    /**
     * Adds a pack whose copies of its blobs take precedence over those already known: maintenance
     * copied them there because the old pack is going away.
     */
    public void addPreferred(IndexFile.PackRecord pack) {
        packs.putIfAbsent(pack.id(), pack.length());
        for (PackEntry e : pack.entries()) {
            blobs.put(e.id(), new Location(pack.id(), e));
        }
    }

    /**
     * Forgets several packs and their blobs in one scan, returning the records of those that held
     * blobs here (entries in pack order).
     */
    public List<IndexFile.PackRecord> removePacks(java.util.Set<PackId> gone) {
        if (gone.isEmpty()) {
            return List.of();
        }
        Map<PackId, Long> lengths = new java.util.HashMap<>();
        for (PackId p : gone) {
            Long length = packs.remove(p);
            if (length != null) {
                lengths.put(p, length);
            }
        }
        Map<PackId, List<PackEntry>> entries = new java.util.HashMap<>();
        blobs.entrySet().removeIf(e -> {
            PackId p = e.getValue().pack();
            if (!gone.contains(p)) {
                return false;
            }
            synchronized (entries) {
                entries.computeIfAbsent(p, k -> new ArrayList<>()).add(e.getValue().entry());
            }
            return true;
        });
        List<IndexFile.PackRecord> out = new ArrayList<>();
        entries.forEach((p, list) -> {
            list.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
            out.add(new IndexFile.PackRecord(p, lengths.getOrDefault(p, 0L), list));
        });
        return out;
    }

    public boolean containsPack(PackId pack) {
        return packs.containsKey(pack);
    }

    public Location get(BlobId id) {
        return blobs.get(id);
    }

    public boolean contains(BlobId id) {
        return blobs.containsKey(id);
    }

    public int blobCount() {
        return blobs.size();
    }

    public int packCount() {
        return packs.size();
    }

    /** Pack id to its length in bytes, as the index files say. */
    public Map<PackId, Long> packs() {
        return Map.copyOf(packs);
    }

    /** Total length of all indexed packs. */
    public long packBytes() {
        return packs.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Total plaintext length of the distinct indexed blobs. */
    public long rawBytes() {
        long sum = 0;
        for (Location l : blobs.values()) {
            sum += l.entry().rawLength();
        }
        return sum;
    }

    /** Blob entries seen more than once while building. */
    public int duplicateEntries() {
        return duplicates.get();
    }
}
