package io.lifeboat.common.maintenance;

import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.index.IndexFile;
import io.lifeboat.common.pack.BlobCodec;
import io.lifeboat.common.pack.PackEntry;
import io.lifeboat.common.pack.PackId;
import io.lifeboat.common.pack.PackWriter;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.JournalEntry;
import io.lifeboat.common.repository.MaintenanceRecords;
import io.lifeboat.common.repository.MaintenanceRecords.BackupSession;
import io.lifeboat.common.repository.MaintenanceRecords.PruneCandidate;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotId;
import io.lifeboat.common.repository.UnsupportedFormatException;
import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectKind;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Two-phase prune (docs/design/prune.md). Every run, under the {@link MaintenanceLease}:
 * <ol>
 *   <li>walks every snapshot's trees into a compact set of referenced blobs, stopping (changing
 *       nothing) if any manifest, tree or index file cannot be read;</li>
 *   <li>assigns each referenced blob to one stored pack, preferring packs that are not
 *       candidates;</li>
 *   <li>repacks used packs whose unreferenced bytes exceed the threshold: their live blobs are
 *       copied (verified, still encrypted) into new packs and indexed, and the old pack becomes a
 *       candidate;</li>
 *   <li>records every other unreferenced pack as a candidate {@code prune/<pack>} (phase 1), and
 *       removes the record of a candidate that is referenced again;</li>
 *   <li>deletes candidates recorded at least the grace period ago that are still unreferenced,
 *       unless a live backup session older than the candidate exists or Object Lock forbids it
 *       (phase 2): new index files first, then the old index files, then the packs, then the
 *       candidate records, so a killed run leaves work the next run simply finishes.</li>
 * </ol>
 *
 * <p>Memory: 8 bytes + 4 bytes per indexed blob for the per-pack tables plus about 16 bytes per
 * referenced blob ({@link BlobIdSet}), besides the open repository's own index; packs and index
 * files are streamed one at a time.
 *
 * <p>Threading: one run per call; trees, manifests and records are read, and marks and deletes
 * written, up to {@value #READ_PARALLELISM} at a time, while the sets are only touched by the
 * calling thread. Errors: {@link MaintenanceLeaseException} when
 * another run holds the lease; {@link RepositoryException} naming the object when the repository
 * cannot be pruned safely; store failures propagate (the next run finishes the work).
 */
public final class Prune {
    /** Clocks of backup hosts and the prune host may disagree by this much. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

    private final PackRepository repo;
    private final ObjectStore store;
    private final PruneOptions options;
    private final MaintenanceLease lease;
    private final Instant now;
    private final MaintenanceRecords records;
    private final List<String> journalObjects = new ArrayList<>();
    private final RetentionLockPolicy retentionLock;

    private Prune(PackRepository repo, PruneOptions options, MaintenanceLease lease) {
        this.repo = repo;
        this.store = repo.store();
        this.options = options;
        this.lease = lease;
        this.now = repo.clock().instant();
        this.records = repo.maintenanceRecords();
        this.retentionLock = options.retentionLock() != null ? options.retentionLock() : RetentionLockPolicy.fromStore(store);
    }

    /** Runs prune once; see the class comment. */
    public static PruneReport run(PackRepository repo, PruneOptions options) {
        String holder = options.holder() == null ? repo.actor() : options.holder();
        if (options.dryRun()) {
            return new Prune(repo, options, null).execute();
        }
        // The claim is written first and confirmed once the read-only work is done, so the settle
        // wait overlaps the snapshot walk instead of adding to it.
        try (MaintenanceLease lease = MaintenanceLease.claim(repo, holder, options.leaseDuration(), options.settle(), options.sleeper())) {
            return new Prune(repo, options, lease).execute();
        }
    }

    /** What prune knows of one pack: its index entries as compact tables and who claims what. */
    private static final class PackInfo {
        final PackId id;
        final long length;
        final long[] blobKeys;
        final int[] blobLengths;
        final BitSet claimedHere;
        final List<String> indexKeys = new ArrayList<>(1);
        /** The stored length of every blob in the pack; the rest of its length is header and trailer. */
        final long blobBytes;
        long usedBytes;

        PackInfo(IndexFile.PackRecord r) {
            id = r.id();
            length = r.length();
            int n = r.entries().size();
            blobKeys = new long[n];
            blobLengths = new int[n];
            claimedHere = new BitSet(n);
            long sum = 0;
            for (int i = 0; i < n; i++) {
                blobKeys[i] = BlobIdSet.keyOf(r.entries().get(i).id());
                blobLengths[i] = r.entries().get(i).length();
                sum += blobLengths[i];
            }
            blobBytes = sum;
        }

        /**
         * The share of the pack that repacking would free: blobs no snapshot claims here. The
         * header and trailer are not waste; every pack has them, so counting them would repack a
         * fully used pack of small blobs on every run.
         */
        double waste() {
            return length <= 0 ? 0 : (double) (blobBytes - usedBytes) / length;
        }

        boolean used() {
            return !claimedHere.isEmpty();
        }
    }

    private PruneReport execute() {
        Map<PackId, PruneCandidate> candidates = readCandidates();
        BlobIdSet used = new BlobIdSet();
        int snapshots = walkSnapshots(used);

        Map<PackId, Long> stored = new TreeMap<>();
        store.list(RepositoryLayout.DATA, (ObjectInfo i) -> {
            PackId id = RepositoryLayout.packIdOf(i.key());
            if (id != null) {
                stored.put(id, i.size());
            }
        });
        Map<PackId, PackInfo> indexed = readIndexes();
        claim(used, indexed, stored, candidates);

        List<BackupSession> liveSessions = new ArrayList<>();
        List<String> staleSessions = new ArrayList<>();
        readSessions(liveSessions, staleSessions);

        List<PackInfo> toRepack = new ArrayList<>();
        List<PackId> toMark = new ArrayList<>();
        List<PackId> toUnmark = new ArrayList<>();
        List<PackId> toDelete = new ArrayList<>();
        Set<PackId> dropFromIndex = new HashSet<>();
        int waiting = 0;
        int deferred = 0;
        int retained = 0;
        for (Map.Entry<PackId, Long> e : stored.entrySet()) {
            PackId id = e.getKey();
            PackInfo info = indexed.get(id);
            PruneCandidate candidate = candidates.get(id);
            if (info != null && info.used()) {
                if (candidate != null) {
                    toUnmark.add(id);
                } else if (info.waste() > options.repackThreshold()) {
                    toRepack.add(info);
                }
            } else if (candidate == null) {
                toMark.add(id);
            } else if (now.isBefore(candidate.since().plus(options.grace()))) {
                waiting++;
            } else if (liveSessions.stream().anyMatch(s -> s.started().isBefore(candidate.since().plus(CLOCK_SKEW)))) {
                deferred++;
            } else if (!deletableNow(id, info)) {
                retained++;
            } else {
                toDelete.add(id);
            }
        }
        for (PackInfo info : indexed.values()) {
            if (!stored.containsKey(info.id) && !info.used()) {
                dropFromIndex.add(info.id); // an index entry of a pack already gone (a killed run, or lost)
            }
        }
        List<PackId> staleRecords = new ArrayList<>();
        for (PackId id : candidates.keySet()) {
            if (!stored.containsKey(id)) {
                staleRecords.add(id);
            }
        }

        long freed = 0;
        for (PackId id : toDelete) {
            freed += stored.get(id);
        }
        if (options.dryRun()) {
            long blobs = toRepack.stream().mapToLong(p -> p.claimedHere.cardinality()).sum();
            return new PruneReport(true, 0, snapshots, used.size(), stored.size(), toMark.size() + toRepack.size(), toUnmark.size(),
                toRepack.size(), blobs, toDelete.size(), freed, 0, waiting, deferred, retained, staleSessions.size(),
                toDelete.stream().map(RepositoryLayout::pack).toList());
        }

        lease.confirm(); // nothing above changed the repository; everything below may
        long repackedBlobs = repack(toRepack);
        List<PruneCandidate> marks = new ArrayList<>();
        for (PackInfo p : toRepack) {
            marks.add(new PruneCandidate(p.id, p.length, now, "repacked", lease.token()));
        }
        for (PackId id : toMark) {
            marks.add(new PruneCandidate(id, stored.get(id), now, "unused", lease.token()));
        }
        parallel(marks, c -> {
            store.put(RepositoryLayout.pruneCandidate(c.pack()), records.encode(c), PutOptions.of(ObjectKind.METADATA));
            return null;
        });
        for (PruneCandidate c : marks) {
            journalObjects.add(RepositoryLayout.pruneCandidate(c.pack()));
        }
        deleteAll(toUnmark.stream().map(RepositoryLayout::pruneCandidate).toList());
        for (PackId id : toUnmark) {
            journalObjects.add(RepositoryLayout.pruneCandidate(id));
        }

        Set<PackId> gone = new HashSet<>(toDelete);
        gone.addAll(dropFromIndex);
        int rewritten = 0;
        if (!gone.isEmpty()) {
            lease.verify();
            rewritten = rewriteIndexes(indexed, gone);
            // Each group completes before the next starts (packs only once no index names them,
            // records only once their pack is gone); within a group the deletes run in parallel.
            deleteAll(toDelete.stream().map(RepositoryLayout::pack).toList());
            for (PackId id : toDelete) {
                journalObjects.add(RepositoryLayout.pack(id));
            }
            deleteAll(toDelete.stream().map(RepositoryLayout::pruneCandidate).toList());
            repo.forgetPacks(gone);
        }
        deleteAll(staleRecords.stream().map(RepositoryLayout::pruneCandidate).toList());
        deleteAll(staleSessions);
        consolidateRetentionRecords();

        PruneReport report = new PruneReport(false, lease.token(), snapshots, used.size(), stored.size(), toMark.size() + toRepack.size(),
            toUnmark.size(), toRepack.size(), repackedBlobs, toDelete.size(), freed, rewritten, waiting, deferred, retained,
            staleSessions.size(), toDelete.stream().map(RepositoryLayout::pack).toList());
        if (!journalObjects.isEmpty()) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("token", Long.toString(lease.token()));
            details.put("packsDeleted", Integer.toString(report.deleted()));
            details.put("bytesFreed", Long.toString(report.freedBytes()));
            details.put("packsMarked", Integer.toString(report.marked()));
            details.put("packsUnmarked", Integer.toString(report.unmarked()));
            details.put("packsRepacked", Integer.toString(report.repacked()));
            details.put("indexFilesRewritten", Integer.toString(rewritten));
            repo.appendJournal(new JournalEntry("prune", lease.holder(), now, journalObjects, details));
        }
        return report;
    }

    // ---------------------------------------------------------------- reading

    private Map<PackId, PruneCandidate> readCandidates() {
        Map<PackId, PruneCandidate> out = new HashMap<>();
        List<String> keys = new ArrayList<>();
        store.list(RepositoryLayout.PRUNE, i -> keys.add(i.key()));
        keys.removeIf(k -> RepositoryLayout.packIdOfCandidate(k) == null);
        List<PruneCandidate> read = parallel(keys, key -> {
            PackId pack = RepositoryLayout.packIdOfCandidate(key);
            try {
                return records.decodeCandidate(store.get(key), key);
            } catch (ObjectNotFoundException e) {
                return null; // removed since the listing
            } catch (CorruptObjectException | UnsupportedFormatException e) {
                // an unverifiable time must not make a pack deletable: its grace period starts now
                return new PruneCandidate(pack, 0, now, "unverifiable record", 0);
            }
        });
        for (int i = 0; i < keys.size(); i++) {
            if (read.get(i) != null) {
                out.put(RepositoryLayout.packIdOfCandidate(keys.get(i)), read.get(i));
            }
        }
        return out;
    }

    /** Trees loaded with one {@link PackRepository#loadBlobs} call (neighbours in a pack share a read). */
    static final int WALK_BATCH = 64;
    /** Store reads (and tree parses) in flight at once, while walking and reading records. */
    static final int READ_PARALLELISM = 8;
    /** Packs read and verified at once while repacking (each up to a pack's size in memory, twice). */
    static final int REPACK_PARALLELISM = 2;

    /** What one batch of trees references, gathered on a worker and merged by the walking thread. */
    private record TreeRefs(List<BlobId> data, List<BlobId> subtrees) {
    }

    /**
     * Adds every blob the snapshots reference to {@code used}; stops if anything cannot be read.
     * Manifests are read in parallel; each snapshot's trees level by level, a level in batches of
     * {@value #WALK_BATCH} loaded and parsed on up to {@value #READ_PARALLELISM} threads, and
     * merged into {@code used} on this thread in a fixed order. A tree walked for an earlier
     * snapshot is not read again.
     */
    private int walkSnapshots(BlobIdSet used) {
        List<String> keys = new ArrayList<>();
        store.list(RepositoryLayout.SNAPSHOTS, i -> keys.add(i.key()));
        keys.sort(null);
        // Manifests are written after their index files: loading the index files now makes every
        // listed snapshot's blobs loadable.
        repo.refreshIndex();
        List<SnapshotId> ids = new ArrayList<>(keys.size());
        for (String key : keys) {
            try {
                ids.add(new SnapshotId(RepositoryLayout.nameOf(RepositoryLayout.SNAPSHOTS, key)));
            } catch (IllegalArgumentException e) {
                throw refuse(key + " has a malformed name");
            }
        }
        List<Snapshot> snapshots = parallel(ids, id -> {
            try {
                return repo.loadSnapshot(id);
            } catch (CorruptObjectException | UnsupportedFormatException e) {
                throw refuse(e.getMessage());
            } catch (RepositoryException e) {
                if (!store.exists(RepositoryLayout.snapshot(id))) {
                    return null; // forgotten while we listed
                }
                throw refuse(e.getMessage());
            }
        });
        BlobIdSet walked = new BlobIdSet();
        int count = 0;
        for (Snapshot s : snapshots) {
            if (s == null) {
                continue;
            }
            count++;
            used.add(s.root());
            List<BlobId> level = new ArrayList<>();
            if (walked.add(s.root())) {
                level.add(s.root());
            }
            while (!level.isEmpty()) {
                List<List<BlobId>> batches = new ArrayList<>();
                for (int i = 0; i < level.size(); i += WALK_BATCH) {
                    batches.add(level.subList(i, Math.min(level.size(), i + WALK_BATCH)));
                }
                List<BlobId> next = new ArrayList<>();
                // A window of batches at a time keeps the gathered references bounded.
                for (int w = 0; w < batches.size(); w += READ_PARALLELISM) {
                    for (TreeRefs refs : parallel(batches.subList(w, Math.min(batches.size(), w + READ_PARALLELISM)),
                            batch -> treeRefs(batch, s.id()))) {
                        for (BlobId d : refs.data()) {
                            used.add(d);
                        }
                        for (BlobId sub : refs.subtrees()) {
                            used.add(sub);
                            if (walked.add(sub)) {
                                next.add(sub);
                            }
                        }
                    }
                }
                level = next;
            }
        }
        return count;
    }

    /** Loads and parses a batch of trees of one snapshot. */
    private TreeRefs treeRefs(List<BlobId> trees, SnapshotId snapshot) {
        List<byte[]> plains;
        try {
            plains = repo.loadBlobs(trees);
        } catch (RepositoryException e) {
            for (BlobId tree : trees) { // name the tree that fails
                try {
                    repo.loadBlob(tree);
                } catch (RepositoryException single) {
                    throw refuse("tree " + tree.shortHex() + " of snapshot " + snapshot.hex() + " cannot be read: " + single.getMessage());
                }
            }
            throw refuse("trees of snapshot " + snapshot.hex() + " cannot be read: " + e.getMessage());
        }
        List<BlobId> data = new ArrayList<>();
        List<BlobId> subtrees = new ArrayList<>();
        for (int i = 0; i < trees.size(); i++) {
            try {
                options.trees().references(trees.get(i), plains.get(i), data::add, subtrees::add);
            } catch (RepositoryException e) {
                throw refuse(e.getMessage() + " (in snapshot " + snapshot.hex() + ")");
            }
        }
        return new TreeRefs(data, subtrees);
    }

    /**
     * Applies {@code fn} to every item on up to {@value #READ_PARALLELISM} virtual threads and
     * returns the results in order; the first failure (by item order) is rethrown.
     */
    static <T, R> List<R> parallel(List<T> items, Function<T, R> fn) {
        return PackRepository.parallel(items, READ_PARALLELISM, fn);
    }

    private Map<PackId, PackInfo> readIndexes() {
        List<String> keys = new ArrayList<>();
        store.list(RepositoryLayout.INDEX, i -> keys.add(i.key()));
        keys.sort(null);
        Map<PackId, PackInfo> out = new HashMap<>();
        for (String key : keys) {
            List<IndexFile.PackRecord> packs;
            try {
                packs = repo.readIndexFile(key);
            } catch (ObjectNotFoundException e) {
                continue;
            } catch (RepositoryException e) {
                throw refuse(e.getMessage());
            }
            for (IndexFile.PackRecord r : packs) {
                out.computeIfAbsent(r.id(), k -> new PackInfo(r)).indexKeys.add(key);
            }
        }
        return out;
    }

    /**
     * Gives each referenced blob to one stored pack: non-candidates first, so a blob copied out of
     * a candidate (by a backup's commit or by repack) leaves the candidate unreferenced.
     */
    private static void claim(BlobIdSet used, Map<PackId, PackInfo> indexed, Map<PackId, Long> stored, Map<PackId, PruneCandidate> candidates) {
        List<PackInfo> order = new ArrayList<>();
        for (PackInfo p : new TreeMap<>(indexed).values()) {
            if (stored.containsKey(p.id) && !candidates.containsKey(p.id)) {
                order.add(p);
            }
        }
        for (PackInfo p : new TreeMap<>(indexed).values()) {
            if (stored.containsKey(p.id) && candidates.containsKey(p.id)) {
                order.add(p);
            }
        }
        for (PackInfo p : order) {
            for (int i = 0; i < p.blobKeys.length; i++) {
                if (used.claim(p.blobKeys[i])) {
                    p.claimedHere.set(i);
                    p.usedBytes += p.blobLengths[i];
                }
            }
        }
        int missing = used.unclaimed();
        if (missing > 0) {
            throw refuse(missing + " blobs referenced by snapshots are in no stored, indexed pack; run check");
        }
    }

    private void readSessions(List<BackupSession> live, List<String> stale) {
        List<ObjectInfo> markers = new ArrayList<>();
        store.list(RepositoryLayout.BACKUP_SESSIONS, markers::add);
        for (ObjectInfo i : markers) {
            BackupSession s;
            try {
                s = records.decodeSession(store.get(i.key()), i.key());
            } catch (ObjectNotFoundException e) {
                continue;
            } catch (CorruptObjectException | UnsupportedFormatException e) {
                // unverifiable: live (and older than everything) until the store says it is old
                s = new BackupSession("?", Instant.EPOCH, i.lastModified() == null ? now : i.lastModified());
            }
            if (now.isAfter(s.heartbeat().plus(options.sessionStaleAfter()))) {
                stale.add(i.key());
            } else {
                live.add(s);
            }
        }
    }

    private boolean deletableNow(PackId id, PackInfo info) {
        if (!retentionLock.deletableNow(RepositoryLayout.pack(id), now)) {
            return false;
        }
        return info == null || info.indexKeys.stream().allMatch(k -> retentionLock.deletableNow(k, now));
    }

    // ---------------------------------------------------------------- changing

    /** Above this many retention records (one per locked backup), prune merges them into one. */
    static final int RETENTION_RECORDS_KEPT = 32;

    /**
     * Merges the retention records of an Object Lock repository (format section 16) into one, once
     * there are more than {@value #RETENTION_RECORDS_KEPT}, dropping dates already past (they no
     * longer save a request) and unreadable records. Only the records listed are deleted, so a record
     * a backup writes meanwhile survives. A lost record costs requests, never protection.
     */
    private void consolidateRetentionRecords() {
        List<String> keys = new ArrayList<>();
        store.list(RepositoryLayout.RETENTION, i -> keys.add(i.key()));
        if (keys.size() <= RETENTION_RECORDS_KEPT) {
            return;
        }
        Map<String, Instant> merged = new TreeMap<>();
        for (String key : keys) {
            try {
                records.decodeRetention(store.get(key), key).forEach((k, t) -> merged.merge(k, t, (a, b) -> a.isAfter(b) ? a : b));
            } catch (ObjectNotFoundException | RepositoryException e) {
                // unreadable: dropped with the others
            }
        }
        merged.values().removeIf(t -> !t.isAfter(now));
        lease.verify();
        if (!merged.isEmpty()) {
            String key = RepositoryLayout.retentionRecord(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                java.util.HexFormat.of().formatHex(io.lifeboat.common.crypto.AesGcm.randomBytes(8)));
            store.put(key, records.encodeRetention(merged, now), PutOptions.of(ObjectKind.METADATA));
        }
        for (String key : keys) {
            store.delete(key);
        }
    }

    /** Deletes every key, several at a time; returns once all are gone (or throws the first failure). */
    private void deleteAll(List<String> keys) {
        parallel(keys, key -> {
            store.delete(key);
            return null;
        });
    }

    /** Copies the claimed blobs of each pack into new packs and indexes them; returns the blob count. */
    private long repack(List<PackInfo> packs) {
        if (packs.isEmpty()) {
            return 0;
        }
        lease.verify();
        long target = repo.config().packSizeTarget();
        PackWriter writer = new PackWriter();
        List<IndexFile.PackRecord> written = new ArrayList<>();
        long blobs = 0;
        // Packs are read and verified REPACK_PARALLELISM at a time (memory: that many packs and
        // their live blobs); their blobs go into the new packs in a fixed order on this thread.
        for (int w = 0; w < packs.size(); w += REPACK_PARALLELISM) {
            for (List<BlobCodec.EncodedBlob> live : parallel(packs.subList(w, Math.min(packs.size(), w + REPACK_PARALLELISM)),
                    this::liveBlobs)) {
                for (BlobCodec.EncodedBlob b : live) {
                    writer.add(b);
                    blobs++;
                    if (writer.size() >= target) {
                        written.add(upload(writer));
                    }
                }
            }
        }
        if (!writer.isEmpty()) {
            written.add(upload(writer));
        }
        journalObjects.add(repo.writeIndexFile(written));
        return blobs;
    }

    /** Reads one pack to repack, verifies it and every blob prune keeps, and returns those blobs still encrypted. */
    private List<BlobCodec.EncodedBlob> liveBlobs(PackInfo p) {
        String key = RepositoryLayout.pack(p.id);
        byte[] bytes = store.get(key);
        if (!p.id.matches(Sha256.hash(bytes))) {
            throw refuse(key + " is corrupt: content does not match its id");
        }
        Set<Long> keep = new HashSet<>();
        p.claimedHere.stream().forEach(i -> keep.add(p.blobKeys[i]));
        List<BlobCodec.EncodedBlob> out = new ArrayList<>(keep.size());
        for (PackEntry e : repo.readPackEntries(bytes, key)) {
            if (!keep.remove(BlobIdSet.keyOf(e.id()))) {
                continue;
            }
            repo.decodeBlob(e, bytes, key); // never copy a damaged blob over a good one
            out.add(new BlobCodec.EncodedBlob(e.type(), e.id(), Arrays.copyOfRange(bytes, e.offset(), e.offset() + e.length()),
                e.rawLength(), e.compression(), e.epoch()));
        }
        if (!keep.isEmpty()) {
            throw refuse(key + " is corrupt: its trailer lacks blobs its index names");
        }
        return out;
    }

    private IndexFile.PackRecord upload(PackWriter writer) {
        PackWriter.FinishedPack pack = repo.finishPack(writer);
        String key = RepositoryLayout.pack(pack.id());
        store.put(key, pack.bytes(), repo.putOptions(key, ObjectKind.PACK));
        journalObjects.add(key);
        return new IndexFile.PackRecord(pack.id(), pack.bytes().length, pack.entries());
    }

    /** Replaces every index file naming a pack in {@code gone}: the new file first, then the old one goes. */
    private int rewriteIndexes(Map<PackId, PackInfo> indexed, Set<PackId> gone) {
        Set<String> affected = new LinkedHashSet<>();
        for (PackId id : gone) {
            PackInfo info = indexed.get(id);
            if (info != null) {
                affected.addAll(info.indexKeys);
            }
        }
        int rewritten = 0;
        for (String key : affected) {
            if (!retentionLock.deletableNow(key, now)) {
                continue; // still locked: it stays, naming a pack that is gone (harmless; a later run retries)
            }
            List<IndexFile.PackRecord> records;
            try {
                records = repo.readIndexFile(key);
            } catch (ObjectNotFoundException e) {
                continue;
            }
            List<IndexFile.PackRecord> remaining = records.stream().filter(r -> !gone.contains(r.id())).toList();
            if (!remaining.isEmpty()) {
                journalObjects.add(repo.writeIndexFile(remaining));
            }
            store.delete(key);
            journalObjects.add(key);
            rewritten++;
        }
        return rewritten;
    }

    private static RepositoryException refuse(String reason) {
        return new RepositoryException("refusing to prune, nothing was deleted: " + reason);
    }
}
