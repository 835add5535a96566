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
     * Forgets a pack and every blob located in it, returning its record (null if unknown). Scans
     * every blob, so it is meant for the rare pack that becomes a prune candidate during a session.
     * A blob also held by another pack is forgotten too (only one location is kept) and is simply
     * stored again if needed.
     */
    public IndexFile.PackRecord removePack(PackId pack) {
        Long length = packs.remove(pack);
        if (length == null) {
            return null;
        }
        List<PackEntry> entries = new ArrayList<>();
        blobs.entrySet().removeIf(e -> {
            if (e.getValue().pack().equals(pack)) {
                entries.add(e.getValue().entry());
                return true;
            }
            return false;
        });
        entries.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
        return entries.isEmpty() ? null : new IndexFile.PackRecord(pack, length, entries);
    }

    /** Forgets several packs and their blobs in one scan (after prune deleted them). */
    public void removePacks(java.util.Set<PackId> gone) {
        if (gone.isEmpty()) {
            return;
        }
        gone.forEach(packs::remove);
        blobs.values().removeIf(l -> gone.contains(l.pack()));
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
