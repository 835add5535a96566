package io.lifeboat.common.repository;

import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.index.IndexFile;
import io.lifeboat.common.index.MasterIndex;
import io.lifeboat.common.keys.KeySlot;
import io.lifeboat.common.keys.Keyring;
import io.lifeboat.common.keys.ScryptParams;
import io.lifeboat.common.keys.MasterKeys;
import io.lifeboat.common.pack.BlobCodec;
import io.lifeboat.common.pack.PackEntry;
import io.lifeboat.common.pack.PackId;
import io.lifeboat.common.pack.PackReader;
import io.lifeboat.common.pack.PackWriter;
import io.lifeboat.common.store.ObjectKind;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The repository of docs/repository-format.md over an {@link ObjectStore}: blobs in packs,
 * indexes, signed manifests and a journal. Made by {@link Repositories}.
 *
 * <p>Threading: as {@link Repository}. Calling threads hash, compress and encrypt; a small pool
 * finishes and uploads packs. At most {@link OpenOptions#packsInFlight()} finished packs wait
 * for upload; beyond that {@link #saveBlob} blocks, so memory stays bounded whatever the input.
 * An index file is written every {@value #INDEX_EVERY_PACKS} packs and at each flush, so the
 * packs of a killed run are found by the next run's dedup.
 *
 * <p>Prune safety (docs/design/prune.md): packs named by {@code prune/} candidates at open are
 * invisible to dedup (their blobs count as absent; they stay readable for loads). At its first
 * {@link #saveBlob} (or commit) a writing session writes a {@code locks/backup-*} marker and
 * re-lists the candidates; prune defers deleting candidates while such a marker is live. Before writing a
 * manifest, the session re-lists candidates and copies the blobs of every pack it deduplicated
 * against or wrote that has become a candidate since into a new pack of its own, and fails if such
 * a pack is already gone, so a snapshot never references a pack prune may delete.
 */
public final class PackRepository implements Repository {
    static final int INDEX_EVERY_PACKS = 4;
    private static final int READ_PARALLELISM = 8;
    /** {@link #loadBlobs}: the largest gap between blobs read in one request, and the largest request. */
    static final int COALESCE_GAP = 256 * 1024;
    static final int COALESCE_RANGE = 8 * 1024 * 1024;
    private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-f]{4,64}");

    private final ObjectStore store;
    private final byte[] masterKey;
    private final MasterKeys keys;
    private final RepositoryConfig config;
    private final Keyring keyring;
    private final BlobCodec codec;
    private final MasterIndex index = new MasterIndex();
    /** Blobs of prune-candidate packs: readable, never deduplicated against. */
    private final MasterIndex candidateIndex = new MasterIndex();
    private final Set<PackId> knownCandidates = ConcurrentHashMap.newKeySet();
    /** Packs this session deduplicated against or wrote: a snapshot of it may reference them. */
    private final Set<PackId> referencedPacks = ConcurrentHashMap.newKeySet();
    private final Object sessionLock = new Object();
    private volatile String sessionKey;
    private volatile Instant sessionStarted;
    private volatile Instant lastHeartbeat;
    private final Set<String> loadedIndexFiles = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final MaintenanceRecords records;
    private final OpenOptions options;
    private final List<String> corruptIndexFiles = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentHashMap<BlobId, Boolean> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SnapshotId, Snapshot> snapshotCache = new ConcurrentHashMap<>();
    private final Object packLock = new Object();
    private final Object indexLock = new Object();
    private final List<IndexFile.PackRecord> unindexed = new ArrayList<>();
    private final List<String> writtenKeys = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Throwable> uploadFailure = new AtomicReference<>();
    private final ThreadPoolExecutor uploader;
    private final Semaphore inFlight;
    private final AtomicInteger sessionBlobs = new AtomicInteger();
    private PackWriter writer = new PackWriter();
    private volatile boolean closed;
    /** Null unless the config asks for Object Lock. */
    private final ObjectLockKeeper lockKeeper;
    /** One index file naming each pack, so a snapshot can lock the index files it depends on. */
    private final Map<PackId, String> indexFileOfPack = new ConcurrentHashMap<>();

    private PackRepository(ObjectStore store, byte[] masterKey, MasterKeys keys, RepositoryConfig config, Keyring keyring,
            OpenOptions options) {
        this.store = store;
        this.masterKey = masterKey.clone();
        this.keys = keys;
        this.config = config;
        this.keyring = keyring;
        this.options = options;
        this.clock = options.clock();
        this.records = new MaintenanceRecords(keys);
        this.lockKeeper = config.objectLock() == null ? null : new ObjectLockKeeper(store, config.objectLock(), clock, records);
        this.codec = new BlobCodec(keyring, keys.blobIdMac(), config.compression(), config.compressionLevel());
        this.inFlight = new Semaphore(options.packsInFlight());
        AtomicInteger n = new AtomicInteger();
        this.uploader = new ThreadPoolExecutor(options.uploadParallelism(), options.uploadParallelism(), 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "lifeboat-pack-upload-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        this.uploader.allowCoreThreadTimeOut(true);
    }

    static PackRepository open(ObjectStore store, byte[] masterKey, OpenOptions options) {
        AesGcm.warmUpInBackground();
        MasterKeys keys = MasterKeys.derive(masterKey);
        byte[] sealedConfig;
        try {
            sealedConfig = store.get(RepositoryLayout.CONFIG);
        } catch (ObjectNotFoundException e) {
            throw new RepositoryException("no Lifeboat repository at " + store.describe());
        }
        RepositoryConfig config = RepositoryConfig.open(sealedConfig, keys.metadataKey());
        List<String> keyringKeys = listKeys(store, RepositoryLayout.KEYRING);
        List<Keyring.KeyringJson> docs = parallel(keyringKeys, key -> {
            byte[] b = store.get(key);
            checkContentId(RepositoryLayout.KEYRING, key, b);
            return Keyring.open(b, keys, key);
        });
        PackRepository repo = new PackRepository(store, masterKey, keys, config, Keyring.of(docs), options);
        repo.loadIndex();
        return repo;
    }

    private void loadIndex() {
        for (String key : listKeys(store, RepositoryLayout.PRUNE)) {
            PackId candidate = RepositoryLayout.packIdOfCandidate(key);
            if (candidate != null) {
                knownCandidates.add(candidate);
            }
        }
        refreshIndex();
    }

    /**
     * Loads the index files written since open (or the last refresh), so blobs committed by other
     * sessions since become loadable. Maintenance calls it after listing snapshots.
     */
    public void refreshIndex() {
        List<String> indexKeys = listKeys(store, RepositoryLayout.INDEX);
        indexKeys.removeIf(k -> !loadedIndexFiles.add(k));
        parallel(indexKeys, key -> {
            try {
                byte[] b = store.get(key);
                checkContentId(RepositoryLayout.INDEX, key, b);
                for (IndexFile.PackRecord p : IndexFile.open(b, keys.metadataKey(), key)) {
                    (knownCandidates.contains(p.id()) ? candidateIndex : index).add(p);
                    indexFileOfPack.putIfAbsent(p.id(), key);
                }
            } catch (CorruptObjectException | ObjectNotFoundException e) {
                // Skipping costs only dedup (the blobs are stored again); `check` reports it.
                corruptIndexFiles.add(key);
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- Repository

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public ChunkerParams chunkerParams() {
        return config.chunker();
    }

    @Override
    public BlobId blobId(byte[] data, int offset, int length) {
        return codec.blobId(data, offset, length);
    }

    @Override
    public boolean contains(BlobId id) {
        // No marker here: read-only users (check, diff) call this too. A backup that relies on
        // contains() alone is still safe: its packs are remembered and checked at commit.
        checkOpen();
        return deduplicated(id) || pending.containsKey(id);
    }

    @Override
    public boolean saveBlob(BlobType type, BlobId id, byte[] data, int offset, int length) {
        checkOpen();
        rethrowUploadFailure();
        beginSession();
        if (deduplicated(id) || pending.putIfAbsent(id, Boolean.TRUE) != null) {
            return false;
        }
        if (deduplicated(id)) {
            // An upload moved it from pending to the index between the two checks above.
            pending.remove(id);
            return false;
        }
        BlobCodec.EncodedBlob encoded;
        try {
            encoded = codec.encode(type, id, data, offset, length);
        } catch (RuntimeException e) {
            pending.remove(id);
            throw e;
        }
        addEncoded(encoded);
        return true;
    }

    /** True if the index holds the blob; remembers its pack, which a snapshot may now reference. */
    private boolean deduplicated(BlobId id) {
        MasterIndex.Location loc = index.get(id);
        if (loc == null) {
            return false;
        }
        referencedPacks.add(loc.pack());
        return true;
    }

    private void addEncoded(BlobCodec.EncodedBlob encoded) {
        PackWriter full = null;
        synchronized (packLock) {
            writer.add(encoded);
            if (writer.size() >= config.packSizeTarget()) {
                full = writer;
                writer = new PackWriter();
            }
        }
        sessionBlobs.incrementAndGet();
        if (full != null) {
            submit(full);
        }
    }

    @Override
    public byte[] loadBlob(BlobId id) {
        checkOpen();
        MasterIndex.Location loc = locate(id);
        String key = RepositoryLayout.pack(loc.pack());
        byte[] stored = readRange(key, loc.entry().offset(), loc.entry().length(), id);
        return codec.decode(loc.entry(), stored, 0, stored.length, key);
    }

    /**
     * Reads blobs that lie close together in one pack with one range request (a gap of at most
     * {@value #COALESCE_GAP} bytes between them, a range of at most {@value #COALESCE_RANGE}), so a
     * restore of many small files makes one request per run of neighbours instead of one per blob.
     * Every blob is still authenticated and re-hashed on its own.
     */
    @Override
    public List<byte[]> loadBlobs(List<BlobId> ids) {
        byte[][] out = new byte[ids.size()][];
        forEachStored(ids, (i, entry, range, off, key) -> out[i] = codec.decode(entry, range, off, entry.length(), key));
        return Arrays.asList(out);
    }

    /**
     * As {@link #loadBlobs(List)}, reading each range into this thread's buffer and decoding each
     * blob into this thread's scratch buffer, so nothing is allocated per blob or per range. A blob
     * stored once but asked for twice is decoded once.
     */
    @Override
    public void loadBlobs(List<BlobId> ids, BlobSink sink) {
        PackEntry[] last = new PackEntry[1];
        byte[][] plain = new byte[1][];
        forEachStored(ids, (i, entry, range, off, key) -> {
            if (entry != last[0]) {
                last[0] = null;
                plain[0] = codec.decodeToScratch(entry, range, off, entry.length(), key);
                last[0] = entry;
            }
            sink.accept(i, plain[0], 0, entry.rawLength());
        });
    }

    @Override
    public int blobLength(BlobId id) {
        checkOpen();
        return locate(id).entry().rawLength();
    }

    /** A stored blob of a range read: {@code range[off, off + entry.length())}, from pack {@code key}. */
    @FunctionalInterface
    private interface StoredBlob {
        void accept(int index, PackEntry entry, byte[] range, int off, String key);
    }

    /** Per thread: the buffer {@link #forEachStored} reads ranges into, grown as needed. */
    private static final ThreadLocal<byte[][]> RANGE_BUFFER = ThreadLocal.withInitial(() -> new byte[1][]);

    /**
     * Locates {@code ids}, sorts them by pack and offset, reads each run of neighbours with one
     * range request into this thread's buffer and hands every stored blob to {@code blob}, in that
     * order, before the buffer is reused.
     */
    private void forEachStored(List<BlobId> ids, StoredBlob blob) {
        checkOpen();
        int n = ids.size();
        MasterIndex.Location[] locs = new MasterIndex.Location[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            locs[i] = locate(ids.get(i));
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer, PackId>comparing(i -> locs[i].pack())
            .thenComparingLong(i -> locs[i].entry().offset()));
        byte[][] holder = RANGE_BUFFER.get();
        int start = 0;
        while (start < n) {
            MasterIndex.Location first = locs[order[start]];
            long from = first.entry().offset();
            long to = from + first.entry().length();
            int end = start + 1;
            while (end < n) {
                MasterIndex.Location next = locs[order[end]];
                long nextEnd = Math.max(to, next.entry().offset() + next.entry().length());
                if (!next.pack().equals(first.pack()) || next.entry().offset() - to > COALESCE_GAP
                        || nextEnd - from > COALESCE_RANGE) {
                    break;
                }
                to = nextEnd;
                end++;
            }
            String key = RepositoryLayout.pack(first.pack());
            int length = (int) (to - from);
            if (holder[0] == null || holder[0].length < length) {
                // Powers of two: a thread's buffer is replaced a few times at most, not once per larger range.
                holder[0] = new byte[length > 1 << 30 ? length : Math.max(Integer.highestOneBit(Math.max(length - 1, 1)) << 1, 1 << 20)];
            }
            byte[] range = holder[0];
            try {
                store.getRangeInto(key, from, length, range, 0);
            } catch (ObjectNotFoundException e) {
                throw new RepositoryException("pack " + key + " holding blob " + ids.get(order[start]).shortHex()
                    + " is missing from the store");
            }
            for (int k = start; k < end; k++) {
                int i = order[k];
                PackEntry e = locs[i].entry();
                blob.accept(i, e, range, (int) (e.offset() - from), key);
            }
            start = end;
        }
    }

    private MasterIndex.Location locate(BlobId id) {
        MasterIndex.Location loc = index.get(id);
        if (loc == null && pending.containsKey(id)) {
            flush();
            loc = index.get(id);
        }
        if (loc == null) {
            loc = candidateIndex.get(id);
        }
        if (loc == null) {
            throw new RepositoryException("blob " + id.hex() + " is not in the repository's index");
        }
        return loc;
    }

    private byte[] readRange(String key, long offset, int length, BlobId holding) {
        try {
            return store.getRange(key, offset, length);
        } catch (ObjectNotFoundException e) {
            throw new RepositoryException("pack " + key + " holding blob " + holding.shortHex() + " is missing from the store");
        }
    }

    @Override
    public void flush() {
        checkOpen();
        PackWriter last = null;
        synchronized (packLock) {
            if (!writer.isEmpty()) {
                last = writer;
                writer = new PackWriter();
            }
        }
        if (last != null) {
            submit(last);
        }
        awaitUploads();
        rethrowUploadFailure();
        writeIndex(true);
        heartbeat();
    }

    @Override
    public Snapshot commitSnapshot(SnapshotSpec spec) {
        checkOpen();
        beginSession();
        deduplicated(spec.root());
        flush();
        if (protectReferencedPacks()) {
            flush();
        }
        if (!index.contains(spec.root())) {
            throw new RepositoryException("snapshot root blob " + spec.root().shortHex() + " is not stored; save it before committing");
        }
        Instant lockedUntil = lockDependencies();
        ManifestCodec.Encoded m = ManifestCodec.encode(spec, clock.instant(), keys.metadataKey(), keys.signer());
        String key = RepositoryLayout.snapshot(m.id());
        // The manifest is locked exactly as long as what it depends on is at least.
        store.put(key, m.bytes(), lockedUntil == null ? PutOptions.of(ObjectKind.METADATA)
            : lockKeeper.options(key, ObjectKind.METADATA, lockedUntil));
        snapshotCache.put(m.id(), m.snapshot());
        List<String> objects = new ArrayList<>();
        objects.add(key);
        synchronized (writtenKeys) {
            objects.addAll(writtenKeys);
            writtenKeys.clear();
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("snapshot", m.id().hex());
        details.put("sourceType", spec.sourceType());
        details.put("blobsAdded", Integer.toString(sessionBlobs.getAndSet(0)));
        appendJournal(new JournalEntry("backup", options.actor(), m.snapshot().time(), objects, details));
        if (lockKeeper != null) {
            try {
                lockKeeper.saveRecord();
            } catch (RuntimeException e) {
                // The snapshot is committed and locked; a missing record only costs the next backup requests.
            }
        }
        return m.snapshot();
    }

    @Override
    public List<Snapshot> snapshots() {
        List<String> keysFound = listKeys(store, RepositoryLayout.SNAPSHOTS);
        List<Snapshot> result = new ArrayList<>(parallel(keysFound, key -> {
            try {
                return loadSnapshot(new SnapshotId(RepositoryLayout.nameOf(RepositoryLayout.SNAPSHOTS, key)));
            } catch (RepositoryException | IllegalArgumentException e) {
                // Unverifiable manifests are skipped here and named by snapshot(id) and check;
                // store failures propagate, so a listing is never silently short.
                return null;
            }
        }));
        result.removeIf(java.util.Objects::isNull);
        result.sort(Comparator.comparing(Snapshot::time).thenComparing(s -> s.id().hex()));
        return result;
    }

    @Override
    public Snapshot snapshot(String idOrPrefix) {
        if ("latest".equals(idOrPrefix)) {
            List<Snapshot> all = snapshots();
            if (all.isEmpty()) {
                throw new RepositoryException("the repository has no snapshots");
            }
            return all.get(all.size() - 1);
        }
        if (idOrPrefix == null || !HEX_PREFIX.matcher(idOrPrefix).matches()) {
            throw new RepositoryException("a snapshot is named by 4 to 64 lower-case hex digits or 'latest', not '" + idOrPrefix + "'");
        }
        List<String> matches = listKeys(store, RepositoryLayout.SNAPSHOTS + idOrPrefix);
        if (matches.isEmpty()) {
            throw new RepositoryException("no snapshot " + idOrPrefix);
        }
        if (matches.size() > 1) {
            throw new RepositoryException("snapshot prefix " + idOrPrefix + " is ambiguous: " + matches.size() + " snapshots match");
        }
        String name = RepositoryLayout.nameOf(RepositoryLayout.SNAPSHOTS, matches.get(0));
        SnapshotId id;
        try {
            id = new SnapshotId(name);
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException("snapshot object " + matches.get(0) + " has a malformed name");
        }
        return loadSnapshot(id);
    }

    @Override
    public Optional<Snapshot> latest(String sourceType, List<String> paths) {
        List<String> wanted = paths.stream().sorted().toList();
        Snapshot best = null;
        for (Snapshot s : snapshots()) {
            if (s.sourceType().equals(sourceType) && s.paths().stream().sorted().toList().equals(wanted)) {
                best = s; // sorted oldest first, so the last match is the newest
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public void appendJournal(JournalEntry entry) {
        checkOpen();
        byte[] bytes = JournalCodec.encode(entry, keys.metadataKey(), keys.signer());
        String key = RepositoryLayout.journal(entry.time().truncatedTo(ChronoUnit.SECONDS), HexFormat.of().formatHex(AesGcm.randomBytes(8)));
        store.put(key, bytes, putOptions(key, ObjectKind.METADATA));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        java.util.Arrays.fill(masterKey, (byte) 0);
        uploader.shutdownNow();
        try {
            uploader.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String marker = sessionKey;
        if (marker != null) {
            try {
                store.delete(marker);
            } catch (RuntimeException e) {
                // A marker left behind only delays prune until it goes stale; closing must not fail.
            }
        }
    }

    // ---------------------------------------------------------------- prune safety

    /**
     * Writes this session's backup marker and re-lists prune candidates, once, before the first
     * dedup decision: a candidate written after the listing is younger than the marker, so prune
     * defers deleting it while the marker is live.
     */
    private void beginSession() {
        if (sessionKey != null) {
            return;
        }
        synchronized (sessionLock) {
            if (sessionKey != null) {
                return;
            }
            Instant now = clock.instant();
            String key = RepositoryLayout.backupSession(HexFormat.of().formatHex(AesGcm.randomBytes(8)));
            store.put(key, records.encode(new MaintenanceRecords.BackupSession(options.actor(), now, now)), PutOptions.of(ObjectKind.METADATA));
            sessionStarted = now;
            lastHeartbeat = now;
            refreshCandidates();
            sessionKey = key;
        }
    }

    private void heartbeat() {
        String key = sessionKey;
        if (key != null) {
            lastHeartbeat = clock.instant();
            store.put(key, records.encode(new MaintenanceRecords.BackupSession(options.actor(), sessionStarted, clock.instant())),
                PutOptions.of(ObjectKind.METADATA));
        }
    }

    /** Lists {@code prune/} and hides the blobs of packs that became candidates from dedup. */
    private void refreshCandidates() {
        Set<PackId> fresh = new java.util.HashSet<>();
        for (String key : listKeys(store, RepositoryLayout.PRUNE)) {
            PackId candidate = RepositoryLayout.packIdOfCandidate(key);
            if (candidate != null && knownCandidates.add(candidate)) {
                fresh.add(candidate);
            }
        }
        for (IndexFile.PackRecord moved : index.removePacks(fresh)) {
            candidateIndex.add(moved);
        }
    }

    /**
     * The commit-time half of prune safety: every pack this session may reference must exist and
     * not be a candidate; the blobs of one that became a candidate are copied (verified, still
     * encrypted) into this session's packs while it still exists.
     *
     * @return true if blobs were copied and must be flushed
     */
    private boolean protectReferencedPacks() {
        refreshCandidates();
        List<PackId> toCopy = new ArrayList<>();
        List<PackId> toCheck = new ArrayList<>();
        for (PackId p : referencedPacks) {
            (knownCandidates.contains(p) ? toCopy : toCheck).add(p);
        }
        if (toCheck.size() > 256) {
            // one listing is cheaper than thousands of HEAD requests
            Set<String> stored = new java.util.HashSet<>(listKeys(store, RepositoryLayout.DATA));
            for (PackId p : toCheck) {
                if (!stored.contains(RepositoryLayout.pack(p))) {
                    throw deletedWhileRunning(RepositoryLayout.pack(p));
                }
            }
        } else {
            parallel(toCheck, p -> {
                if (!store.exists(RepositoryLayout.pack(p))) {
                    throw deletedWhileRunning(RepositoryLayout.pack(p));
                }
                return null;
            });
        }
        boolean copied = false;
        for (PackId p : toCopy) {
            copied |= copyBlobsOf(p);
            referencedPacks.remove(p);
        }
        return copied;
    }

    private boolean copyBlobsOf(PackId pack) {
        String key = RepositoryLayout.pack(pack);
        byte[] bytes;
        try {
            bytes = store.get(key);
        } catch (ObjectNotFoundException e) {
            throw deletedWhileRunning(key);
        }
        if (!pack.matches(Sha256.hash(bytes))) {
            throw new CorruptObjectException(key + " is corrupt: content does not match its id");
        }
        boolean copied = false;
        for (PackEntry e : PackReader.entries(bytes, keys.metadataKey(), key)) {
            if (index.contains(e.id()) || pending.putIfAbsent(e.id(), Boolean.TRUE) != null) {
                continue; // a live copy exists elsewhere
            }
            codec.decode(e, bytes, e.offset(), e.length(), key);
            byte[] stored = Arrays.copyOfRange(bytes, e.offset(), e.offset() + e.length());
            addEncoded(new BlobCodec.EncodedBlob(e.type(), e.id(), stored, e.rawLength(), e.compression(), e.epoch()));
            copied = true;
        }
        return copied;
    }

    private static RepositoryException deletedWhileRunning(String key) {
        return new RepositoryException("pack " + key + " that this backup deduplicated against was deleted by prune while the backup ran;"
            + " nothing was committed: run the backup again");
    }

    // ---------------------------------------------------------------- beyond the facade

    /** The repository config. */
    public RepositoryConfig config() {
        return config;
    }

    /** The store this repository lives in. */
    public ObjectStore store() {
        return store;
    }

    /** Index files that failed to load at open; their blobs are missing from dedup until repaired. */
    public List<String> corruptIndexFiles() {
        return List.copyOf(corruptIndexFiles);
    }

    /** Every indexed pack with its length. */
    public Map<PackId, Long> packs() {
        return index.packs();
    }

    /** Keys of every index file in the store. */
    public List<String> indexFiles() {
        return listKeys(store, RepositoryLayout.INDEX);
    }

    /** Counts of what the in-memory index knows. */
    public RepositoryStats stats() {
        return new RepositoryStats(index.packCount(), index.blobCount(), index.rawBytes(), index.packBytes(), listKeys(store, RepositoryLayout.SNAPSHOTS).size(),
            indexFiles().size());
    }

    /**
     * Every journal entry that verifies, oldest first, with its key; unverifiable entries are
     * returned as errors rather than hidden.
     */
    public List<JournalRecord> journal() {
        List<String> jkeys = listKeys(store, RepositoryLayout.JOURNAL);
        jkeys.sort(null);
        return parallel(jkeys, key -> {
            try {
                return new JournalRecord(key, JournalCodec.decode(store.get(key), keys.metadataKey(), keys.signer(), key), null);
            } catch (CorruptObjectException | ObjectNotFoundException e) {
                return new JournalRecord(key, null, e.getMessage());
            }
        });
    }

    /** One journal object: its entry, or the reason it failed to verify. */
    public record JournalRecord(String key, JournalEntry entry, String error) {
    }

    /**
     * Adds a passphrase key slot for the same master key, so several people or an off-site
     * recovery sheet can open the repository.
     *
     * @return the new slot's id
     */
    public String addPassphraseSlot(char[] password, ScryptParams params) {
        checkOpen();
        if (password == null || password.length == 0) {
            throw new RepositoryException("a key slot needs a non-empty password");
        }
        params.check("key slot parameters");
        String slotId = HexFormat.of().formatHex(AesGcm.randomBytes(16));
        store.put(RepositoryLayout.keySlot(slotId), KeySlot.createPassphrase(slotId, masterKey, password, params),
            putOptions(RepositoryLayout.keySlot(slotId), ObjectKind.METADATA));
        return slotId;
    }

    /**
     * Adds a {@code kms} slot (for an AWS KMS provider) or a {@code keyfile} slot (for a local key
     * file provider) for the same master key, after checking that the provider unwraps it again.
     *
     * @return the new slot's id
     * @throws io.lifeboat.common.keys.KeyProviderException if the provider refuses
     */
    public String addWrappedSlot(io.lifeboat.common.keys.KeyProvider provider) {
        checkOpen();
        return Repositories.writeWrappedSlot(store, masterKey, provider, lockKeeper);
    }

    /**
     * Replaces the {@code kms} slot {@code oldSlotId} by a new one wrapped under {@code newKek}:
     * the new slot is written and checked first, then the old one is deleted. Nothing else is
     * rewritten; the old KEK may then be disabled.
     *
     * @return the new slot's id
     */
    public String rotateKmsSlot(String oldSlotId, io.lifeboat.common.keys.KeyProvider newKek) {
        checkOpen();
        KeySlotInfo old = keySlots().stream().filter(s -> s.slotId().equals(oldSlotId)).findFirst()
            .orElseThrow(() -> new RepositoryException("no key slot " + oldSlotId));
        if (!KeySlot.TYPE_KMS.equals(old.type())) {
            throw new RepositoryException("key slot " + oldSlotId + " is not a kms slot");
        }
        String newSlot = Repositories.writeWrappedSlot(store, masterKey, newKek, lockKeeper);
        KeySlotInfo fresh = keySlots().stream().filter(s -> s.slotId().equals(newSlot)).findFirst().orElseThrow();
        if (fresh.kekId().equals(old.kekId())) {
            store.delete(RepositoryLayout.keySlot(newSlot));
            throw new RepositoryException("key slot " + oldSlotId + " is already wrapped by " + old.kekId() + "; name another KMS key");
        }
        store.delete(RepositoryLayout.keySlot(oldSlotId));
        return newSlot;
    }

    /** Every key slot: its id, type and KEK, or the reason it does not parse. */
    public List<KeySlotInfo> keySlots() {
        List<KeySlotInfo> out = new ArrayList<>();
        List<String> slotKeys = listKeys(store, RepositoryLayout.KEYS);
        slotKeys.sort(null);
        for (String key : slotKeys) {
            String slotId = RepositoryLayout.nameOf(RepositoryLayout.KEYS, key);
            try {
                KeySlot slot = KeySlot.parse(slotId, store.get(key));
                out.add(new KeySlotInfo(slotId, slot.header().type(), slot.header().kekId(), slot.header().created(), null));
            } catch (RepositoryException | io.lifeboat.common.store.StoreException e) {
                out.add(new KeySlotInfo(slotId, null, null, null, e.getMessage()));
            }
        }
        return out;
    }

    /**
     * A key slot as listed: id, type, KEK ({@code kms} and {@code keyfile} slots) and creation
     * time, or why it cannot be read.
     */
    public record KeySlotInfo(String slotId, String type, String kekId, Instant created, String error) {
        /** A slot that opens without any online service: passphrase or key file. */
        public boolean isOfflineRecovery() {
            return error == null && (KeySlot.TYPE_PASSPHRASE.equals(type) || KeySlot.TYPE_KEYFILE.equals(type));
        }
    }

    /** Removes a key slot, refusing to remove the last one or the last offline recovery slot. */
    public void removeKeySlot(String slotId) {
        removeKeySlot(slotId, false);
    }

    /**
     * Removes a key slot. Refuses to remove the last slot that parses, which would lock everyone
     * out of the repository for good, and, unless {@code allowNoRecovery}, the last passphrase or
     * keyfile slot: with only KMS slots left, losing the KMS key loses every backup.
     */
    public void removeKeySlot(String slotId, boolean allowNoRecovery) {
        checkOpen();
        List<KeySlotInfo> slots = keySlots();
        KeySlotInfo target = slots.stream().filter(s -> s.slotId().equals(slotId)).findFirst()
            .orElseThrow(() -> new RepositoryException("no key slot " + slotId));
        List<KeySlotInfo> rest = slots.stream().filter(s -> s.error() == null && !s.slotId().equals(slotId)).toList();
        if (rest.isEmpty()) {
            throw new RepositoryException("refusing to remove the last key slot: nobody could open the repository afterwards");
        }
        if (!allowNoRecovery && target.isOfflineRecovery() && rest.stream().noneMatch(KeySlotInfo::isOfflineRecovery)) {
            throw new RepositoryException("refusing to remove the last offline recovery slot (passphrase or key file): "
                + "without it, losing the KMS key would lose every backup");
        }
        store.delete(RepositoryLayout.keySlot(slotId));
    }

    /**
     * Starts a new data-key epoch: writes a keyring object with a fresh key. Blobs written by
     * sessions opened afterwards use it; existing blobs keep theirs and are not rewritten.
     *
     * @return the new epoch number
     */
    public int startDataKeyEpoch() {
        checkOpen();
        int epoch = keyring.currentEpoch() + 1;
        byte[] sealed = Keyring.seal(Keyring.newEpoch(epoch), keys);
        String keyringKey = RepositoryLayout.keyring(Sha256.hex(sealed));
        store.put(keyringKey, sealed, putOptions(keyringKey, ObjectKind.METADATA));
        return epoch;
    }

    /**
     * The data keys, for objects encrypted outside packs (the WAL archive, format section 16).
     * New objects use {@link Keyring#current()}.
     */
    public Keyring keyring() {
        return keyring;
    }

    /** The data-key epoch new blobs of this session are written with. */
    public int dataKeyEpoch() {
        return keyring.currentEpoch();
    }

    /** Loads and verifies one snapshot manifest. */
    public Snapshot loadSnapshot(SnapshotId id) {
        Snapshot cached = snapshotCache.get(id);
        if (cached != null) {
            return cached;
        }
        byte[] bytes;
        try {
            bytes = store.get(RepositoryLayout.snapshot(id));
        } catch (ObjectNotFoundException e) {
            throw new RepositoryException("no snapshot " + id.hex());
        }
        Snapshot s = ManifestCodec.decode(id, bytes, keys.metadataKey(), keys.signer());
        snapshotCache.put(id, s);
        return s;
    }

    MasterIndex masterIndex() {
        return index;
    }

    // ---------------------------------------------------------------- for maintenance

    /** The clock of this session (manifests, journal, markers). */
    public Clock clock() {
        return clock;
    }

    /** Who acts in this session, as recorded in journal entries. */
    public String actor() {
        return options.actor();
    }

    /** Codec of prune candidates, lease claims and backup-session markers under this repository's keys. */
    public MaintenanceRecords maintenanceRecords() {
        return records;
    }

    /** Parses and authenticates the trailer of a whole pack held in memory. */
    public List<PackEntry> readPackEntries(byte[] pack, String key) {
        return PackReader.entries(pack, keys.metadataKey(), key);
    }

    /** Decodes and verifies one stored blob of a pack held in memory. */
    public byte[] decodeBlob(PackEntry entry, byte[] pack, String key) {
        return codec.decode(entry, pack, entry.offset(), entry.length(), key);
    }

    /** Seals a pack of already-encoded blobs (repack copies blobs without re-encrypting them). */
    public PackWriter.FinishedPack finishPack(PackWriter writer) {
        return writer.finish(keys.metadataKey());
    }

    /**
     * Writes an index file naming {@code packs} and returns its key. This session then loads
     * their blobs from these packs, which maintenance writes to replace others.
     */
    public String writeIndexFile(List<IndexFile.PackRecord> packs) {
        byte[] sealed = IndexFile.seal(packs, keys.metadataKey());
        String key = RepositoryLayout.index(Sha256.hex(sealed));
        store.put(key, sealed, putOptions(key, ObjectKind.METADATA));
        loadedIndexFiles.add(key);
        for (IndexFile.PackRecord p : packs) {
            indexFileOfPack.put(p.id(), key);
            if (knownCandidates.contains(p.id())) {
                candidateIndex.add(p);
            } else {
                index.addPreferred(p);
            }
        }
        return key;
    }

    /** Forgets packs that maintenance deleted, so this session no longer loads from them. */
    public void forgetPacks(Set<PackId> gone) {
        index.removePacks(gone);
        candidateIndex.removePacks(gone);
    }

    /**
     * Reads and verifies one index file.
     *
     * @throws CorruptObjectException if it does not match its name or fails to decrypt
     * @throws ObjectNotFoundException if it is gone
     */
    public List<IndexFile.PackRecord> readIndexFile(String key) {
        byte[] b = store.get(key);
        checkContentId(RepositoryLayout.INDEX, key, b);
        return IndexFile.open(b, keys.metadataKey(), key);
    }

    MasterKeys keys() {
        return keys;
    }

    // ---------------------------------------------------------------- object lock

    /**
     * How to write {@code key}: with the repository's Object Lock retention if it has one (packs,
     * index files, manifests, journal entries, keyrings, key slots), else plainly.
     *
     * @throws RepositoryException if the repository asks for Object Lock and the store has none
     */
    public PutOptions putOptions(String key, ObjectKind kind) {
        return lockKeeper == null ? PutOptions.of(kind) : lockKeeper.options(key, kind);
    }

    /** The repository's Object Lock keeper, if the config asks for Object Lock. */
    public Optional<ObjectLockKeeper> objectLock() {
        return Optional.ofNullable(lockKeeper);
    }

    /**
     * Before a manifest is written: everything a snapshot committed now depends on (the packs this
     * session wrote or deduplicated against, an index file naming each, the keyrings, the key
     * slots and the config) must stay locked at least as long as the manifest will be.
     */
    private Instant lockDependencies() {
        if (lockKeeper == null) {
            return null;
        }
        List<String> deps = new ArrayList<>();
        deps.add(RepositoryLayout.CONFIG);
        deps.addAll(listKeys(store, RepositoryLayout.KEYS));
        deps.addAll(listKeys(store, RepositoryLayout.KEYRING));
        for (PackId p : referencedPacks) {
            deps.add(RepositoryLayout.pack(p));
            String indexKey = indexFileOfPack.get(p);
            if (indexKey != null) {
                deps.add(indexKey);
            }
        }
        Instant needed = lockKeeper.neededNow();
        lockKeeper.protect(deps, needed);
        return needed;
    }

    BlobCodec codec() {
        return codec;
    }

    // ---------------------------------------------------------------- internals

    private void submit(PackWriter full) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepositoryException("interrupted while waiting for pack uploads");
        }
        try {
            uploader.execute(() -> {
                try {
                    if (uploadFailure.get() == null) {
                        upload(full);
                    }
                } catch (Throwable t) {
                    uploadFailure.compareAndSet(null, t);
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
            throw new RepositoryException("the repository is closed", e);
        }
    }

    private void upload(PackWriter full) {
        PackWriter.FinishedPack pack = full.finish(keys.metadataKey());
        String key = RepositoryLayout.pack(pack.id());
        referencedPacks.add(pack.id());
        store.put(key, pack.bytes(), putOptions(key, ObjectKind.PACK));
        IndexFile.PackRecord record = new IndexFile.PackRecord(pack.id(), pack.bytes().length, pack.entries());
        index.add(record);
        for (var e : pack.entries()) {
            pending.remove(e.id());
        }
        writtenKeys.add(key);
        boolean writeNow;
        synchronized (indexLock) {
            unindexed.add(record);
            writeNow = unindexed.size() >= INDEX_EVERY_PACKS;
        }
        if (writeNow) {
            writeIndex(false);
        }
    }

    private void writeIndex(boolean always) {
        List<IndexFile.PackRecord> batch;
        synchronized (indexLock) {
            if (unindexed.isEmpty() || (!always && unindexed.size() < INDEX_EVERY_PACKS)) {
                return;
            }
            batch = new ArrayList<>(unindexed);
            unindexed.clear();
        }
        try {
            byte[] sealed = IndexFile.seal(batch, keys.metadataKey());
            String key = RepositoryLayout.index(Sha256.hex(sealed));
            store.put(key, sealed, putOptions(key, ObjectKind.METADATA));
            for (IndexFile.PackRecord p : batch) {
                indexFileOfPack.put(p.id(), key);
            }
            writtenKeys.add(key);
            loadedIndexFiles.add(key);
            Instant beat = lastHeartbeat;
            if (beat != null && clock.instant().isAfter(beat.plusSeconds(60))) {
                heartbeat(); // a long backup stays visibly alive to prune between flushes
            }
        } catch (RuntimeException e) {
            synchronized (indexLock) {
                unindexed.addAll(0, batch);
            }
            throw e;
        }
    }

    private void awaitUploads() {
        int permits = options.packsInFlight();
        try {
            inFlight.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepositoryException("interrupted while waiting for pack uploads");
        }
        inFlight.release(permits);
    }

    private void rethrowUploadFailure() {
        Throwable t = uploadFailure.get();
        if (t != null) {
            if (t instanceof RepositoryException re) {
                throw new RepositoryException("a pack upload failed: " + re.getMessage(), re);
            }
            throw new RepositoryException("a pack upload to " + store.describe() + " failed: " + t.getMessage(), t);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new RepositoryException("the repository is closed");
        }
    }

    static List<String> listKeys(ObjectStore store, String prefix) {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        store.list(prefix, i -> out.add(i.key()));
        return new ArrayList<>(out);
    }

    static void checkContentId(String prefix, String key, byte[] bytes) {
        if (!RepositoryLayout.nameOf(prefix, key).equals(Sha256.hex(bytes))) {
            throw new CorruptObjectException(key + " is corrupt: content does not match its name");
        }
    }

    /** Applies {@code fn} to every item on up to {@value #READ_PARALLELISM} virtual threads; keeps order. */
    static <T, R> List<R> parallel(List<T> items, Function<T, R> fn) {
        return parallel(items, READ_PARALLELISM, fn);
    }

    /**
     * Applies {@code fn} to every item on up to {@code limit} virtual threads at once and returns
     * the results in order; the first failure by item order is rethrown as it was thrown (a checked
     * one wrapped in a {@link RepositoryException}). For reads of many small objects.
     */
    public static <T, R> List<R> parallel(List<T> items, int limit, Function<T, R> fn) {
        if (items.size() <= 1) {
            List<R> out = new ArrayList<>();
            for (T t : items) {
                out.add(fn.apply(t));
            }
            return out;
        }
        Semaphore permits = new Semaphore(limit);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T t : items) {
                futures.add(ex.submit(() -> {
                    permits.acquire();
                    try {
                        return fn.apply(t);
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<R> out = new ArrayList<>(items.size());
            for (Future<R> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepositoryException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new RepositoryException(e.getCause().toString(), e.getCause());
        }
    }
}
