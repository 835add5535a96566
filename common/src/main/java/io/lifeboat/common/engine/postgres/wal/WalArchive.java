package io.lifeboat.common.engine.postgres.wal;

import io.lifeboat.common.format.Json;
import io.lifeboat.common.maintenance.RetentionLockPolicy;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.FormatVersion;
import io.lifeboat.common.repository.ObjectLockKeeper;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectKind;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.StoreException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One database cluster's WAL archive in a repository (docs/repository-format.md, section 16).
 *
 * <p>Objects: complete segments and backup-history files at {@code wal/<cluster>/<tli>/<name>},
 * the in-progress copy of a segment at {@code wal/<cluster>/<tli>/<segment>.partial} (rewritten as it
 * grows, deleted once the complete segment lands), timeline history files at
 * {@code wal/<cluster>/history/<tli>.history}, and the streamer's status at
 * {@code wal/<cluster>/status}. Each is compressed and encrypted by {@link WalObjectCodec} under the
 * repository's current data key, bound to its key.
 *
 * <p>Durability: every {@code put} returns only after the store acknowledged the whole object, so
 * {@code archive_command} may report success as soon as {@link #putSegment} returns.
 *
 * <p>Idempotency: archiving the same file twice is a no-op; a complete segment, history or
 * backup-history file is never overwritten with different content ({@link WalConflictException}).
 * Two writers racing to archive the same name with different content are not detected (PostgreSQL
 * runs one archiver per cluster, and one streamer per cluster is enforced elsewhere).
 *
 * <p>Object Lock: in a repository with Object Lock ({@code init --object-lock-days}), complete
 * segments, history and backup-history files are written with a retain-until date of now plus the
 * repository's retention ({@link ObjectLockKeeper#standaloneOptions}); in-progress copies and the
 * status are not locked, since they are replaced every few seconds. {@link #deleteSegments} skips
 * (and reports) what is still locked instead of hiding it behind a delete marker.
 *
 * <p>Threading: safe for concurrent use; holds no mutable state.
 */
public final class WalArchive {
    private static final PutOptions WAL = PutOptions.of(ObjectKind.WAL);

    private final ObjectStore store;
    private final WalObjectCodec codec;
    private final String cluster;
    private final long segmentSize;
    private final ObjectLockKeeper lock;
    private final Clock clock;

    private WalArchive(ObjectStore store, WalObjectCodec codec, String cluster, long segmentSize, ObjectLockKeeper lock, Clock clock) {
        this.store = store;
        this.lock = lock;
        this.clock = clock;
        this.codec = codec;
        this.cluster = cluster;
        this.segmentSize = WalNames.checkSegmentSize(segmentSize);
        RepositoryLayout.walCluster(cluster);
    }

    /** The archive of {@code cluster}, for clusters with the default 16 MiB WAL segments. */
    public static WalArchive open(Repository repo, String cluster) {
        return open(repo, cluster, WalNames.DEFAULT_SEGMENT_SIZE);
    }

    /**
     * The archive of {@code cluster} whose WAL segments are {@code segmentSize} bytes
     * ({@code initdb --wal-segsize}).
     *
     * @throws IllegalArgumentException for an invalid cluster name or segment size
     */
    public static WalArchive open(Repository repo, String cluster, long segmentSize) {
        if (!(repo instanceof PackRepository pr)) {
            throw new IllegalArgumentException("the WAL archive needs a pack repository, not " + repo.getClass().getSimpleName());
        }
        return new WalArchive(pr.store(), new WalObjectCodec(pr.keyring()), cluster, segmentSize, pr.objectLock().orElse(null), pr.clock());
    }

    public String cluster() {
        return cluster;
    }

    public long segmentSize() {
        return segmentSize;
    }

    /**
     * Archives a file PostgreSQL hands to {@code archive_command}: a complete segment, a timeline
     * history file, a backup-history file, or (after a promotion) the old timeline's last segment
     * as {@code <segment>.partial}. Returns once the object is durably stored. A complete segment
     * removes the {@code .partial} copy of the same segment.
     *
     * @throws IllegalArgumentException for a name PostgreSQL would not archive, or a segment whose
     *     length is not the archive's segment size
     * @throws WalConflictException if the name is archived with different content
     */
    public void putSegment(String fileName, byte[] data) {
        WalNames.Kind kind = WalNames.requireKind(fileName);
        int tli = WalNames.timelineOf(fileName);
        switch (kind) {
            case SEGMENT -> {
                if (data.length != segmentSize) {
                    throw new IllegalArgumentException("WAL segment " + fileName + " is " + data.length
                        + " bytes, but this archive holds " + segmentSize + "-byte segments");
                }
                String key = RepositoryLayout.walSegment(cluster, tli, fileName);
                putOnce(key, WalObjectCodec.Kind.SEGMENT, fileName, data);
                dropPartial(tli, fileName);
            }
            case PARTIAL -> {
                String segment = WalNames.segmentOf(fileName);
                putPartial(segment, data, data.length);
            }
            case HISTORY -> putOnce(RepositoryLayout.walHistory(cluster, tli), WalObjectCodec.Kind.HISTORY, fileName, data);
            case BACKUP_LABEL -> putOnce(RepositoryLayout.walSegment(cluster, tli, fileName), WalObjectCodec.Kind.BACKUP_LABEL, fileName, data);
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /**
     * Stores (or replaces) the in-progress copy of {@code segmentName}: {@code data} is the whole
     * segment file as PostgreSQL pads it, of which the first {@code validBytes} hold WAL. Does
     * nothing when the complete segment is already archived.
     */
    public void putPartial(String segmentName, byte[] data, int validBytes) {
        if (!WalNames.isSegment(segmentName)) {
            throw new IllegalArgumentException("'" + segmentName + "' is not a WAL segment name");
        }
        if (validBytes < 0 || validBytes > data.length) {
            throw new IllegalArgumentException("valid bytes " + validBytes + " outside 0.." + data.length);
        }
        int tli = WalNames.timelineOf(segmentName);
        if (store.exists(RepositoryLayout.walSegment(cluster, tli, segmentName))) {
            return;
        }
        String key = RepositoryLayout.walPartial(cluster, tli, segmentName);
        store.put(key, codec.encode(key, WalObjectCodec.Kind.PARTIAL, data, validBytes), WAL);
    }

    /**
     * What {@code restore_command} asks for: a complete segment (or, when only the in-progress copy
     * is archived, its {@code .partial}, padded as PostgreSQL wrote it), a timeline history file, a
     * backup-history file or an explicit {@code <segment>.partial}.
     *
     * @return the verified content, or empty if the archive does not hold it
     * @throws CorruptObjectException if the stored object fails to verify
     */
    public Optional<byte[]> fetch(String fileName) {
        WalNames.Kind kind = WalNames.requireKind(fileName);
        int tli = WalNames.timelineOf(fileName);
        return switch (kind) {
            case SEGMENT -> {
                Optional<byte[]> whole = read(RepositoryLayout.walSegment(cluster, tli, fileName), WalObjectCodec.Kind.SEGMENT);
                yield whole.isPresent() ? whole : read(RepositoryLayout.walPartial(cluster, tli, fileName), WalObjectCodec.Kind.PARTIAL);
            }
            case PARTIAL -> read(RepositoryLayout.walPartial(cluster, tli, WalNames.segmentOf(fileName)), WalObjectCodec.Kind.PARTIAL);
            case HISTORY -> read(RepositoryLayout.walHistory(cluster, tli), WalObjectCodec.Kind.HISTORY);
            case BACKUP_LABEL -> read(RepositoryLayout.walSegment(cluster, tli, fileName), WalObjectCodec.Kind.BACKUP_LABEL);
        };
    }

    /** Every complete and partial segment held, by timeline, then segment, complete before partial. */
    public List<WalSegmentRef> list() {
        return scan().segments();
    }

    /** The timelines whose history file is archived, ascending. */
    public List<Integer> historyTimelines() {
        return List.copyOf(scan().histories());
    }

    /** Writes the streamer's status (replacing the previous one). */
    public void writeStatus(WalStatus status) {
        String key = RepositoryLayout.walStatus(cluster);
        byte[] json = Json.write(new StatusJson(FormatVersion.CURRENT, status.timeline(), status.lastArchivedLsn(), status.lastCommitTime(),
            status.lagBytes(), status.slotRetainedBytes(), status.updatedAt(), status.streamerId()));
        store.put(key, codec.encode(key, WalObjectCodec.Kind.STATUS, json, json.length), PutOptions.of(ObjectKind.CONTROL));
    }

    /** The streamer's last status, or empty if none was written. */
    public Optional<WalStatus> readStatus() {
        String key = RepositoryLayout.walStatus(cluster);
        return read(key, WalObjectCodec.Kind.STATUS).map(json -> {
            StatusJson s = Json.read(json, StatusJson.class, key);
            FormatVersion.check(s.version(), key);
            return new WalStatus(s.timeline(), s.lastArchivedLsn(), s.lastCommitTime(), s.lagBytes(), s.slotRetainedBytes(), s.updatedAt(),
                s.streamerId());
        });
    }

    /**
     * Checks the chain: on each timeline, every segment between the first and the last held is
     * present; where a timeline branched off a parent whose segments are still held, the parent
     * reaches the segment before the switch point and the child starts at the switch point's
     * segment; every timeline above 1 has a readable history file. Reads only history files.
     */
    public WalGapReport verify() {
        Scan scan = scan();
        Map<Integer, TreeSet<Long>> positions = new TreeMap<>();
        Map<Integer, TreeSet<Long>> complete = new TreeMap<>();
        Map<Integer, String> partials = new TreeMap<>();
        for (WalSegmentRef r : scan.segments()) {
            long n = WalNames.segmentNumber(r.segment(), segmentSize);
            positions.computeIfAbsent(r.timeline(), t -> new TreeSet<>()).add(n);
            if (r.partial()) {
                partials.put(r.timeline(), r.segment());
            } else {
                complete.computeIfAbsent(r.timeline(), t -> new TreeSet<>()).add(n);
            }
        }
        TreeSet<Integer> timelines = new TreeSet<>(positions.keySet());
        timelines.addAll(scan.histories());
        List<String> problems = new ArrayList<>();
        Map<Integer, TimelineHistory> histories = new TreeMap<>();
        for (int tli : scan.histories()) {
            try {
                fetch(WalNames.historyName(tli)).ifPresent(b -> histories.put(tli, TimelineHistory.parse(tli, b)));
            } catch (IllegalArgumentException | CorruptObjectException e) {
                problems.add("history file " + WalNames.historyName(tli) + " is unreadable: " + e.getMessage());
            }
        }
        List<WalGapReport.Gap> gaps = new ArrayList<>();
        List<WalGapReport.Timeline> summaries = new ArrayList<>();
        for (int tli : timelines) {
            TreeSet<Long> held = positions.getOrDefault(tli, new TreeSet<>());
            addGaps(gaps, tli, held);
            TimelineHistory.Entry parent = histories.containsKey(tli) ? histories.get(tli).parent() : null;
            if (tli > 1 && !held.isEmpty() && !scan.histories().contains(tli)) {
                problems.add("timeline " + tli + " has segments but its history file " + WalNames.historyName(tli) + " is not archived");
            }
            if (parent != null && !held.isEmpty()) {
                long switchSeg = parent.switchPoint().segmentNumber(segmentSize);
                TreeSet<Long> parentHeld = complete.get(parent.parent());
                if (parentHeld != null && !parentHeld.isEmpty() && parentHeld.first() < switchSeg) {
                    if (held.first() > switchSeg) {
                        gaps.add(gap(tli, switchSeg, held.first() - 1));
                    }
                    long parentLast = parentHeld.headSet(switchSeg, false).last();
                    if (parentLast < switchSeg - 1) {
                        gaps.add(gap(parent.parent(), parentLast + 1, switchSeg - 1));
                    }
                }
            }
            TreeSet<Long> whole = complete.getOrDefault(tli, new TreeSet<>());
            summaries.add(new WalGapReport.Timeline(tli,
                whole.isEmpty() ? null : WalNames.segmentName(tli, whole.first(), segmentSize),
                whole.isEmpty() ? null : WalNames.segmentName(tli, whole.last(), segmentSize),
                whole.size(), partials.get(tli), parent == null ? 0 : parent.parent(),
                parent == null ? null : parent.switchPoint().toString()));
        }
        gaps.sort(Comparator.comparingInt(WalGapReport.Gap::timeline).thenComparing(WalGapReport.Gap::firstMissing));
        return new WalGapReport(cluster, summaries, dedupe(gaps), problems);
    }

    /**
     * The segments (complete and partial, any timeline) positioned before {@code segment}: what a
     * recovery starting at {@code segment} never reads. For retention.
     */
    public List<WalSegmentRef> segmentsBefore(String segment) {
        long limit = WalNames.segmentNumber(segment, segmentSize);
        return list().stream().filter(r -> WalNames.segmentNumber(r.segment(), segmentSize) < limit).toList();
    }

    /**
     * What {@link #deleteSegments} did.
     *
     * @param deleted file names deleted (segments by their segment name, partial segments as
     *     {@code <segment>.partial}, backup-history files by their name)
     * @param retainedByLock file names kept because Object Lock forbids deleting them yet (a later
     *     run, after their retain-until date, deletes them)
     */
    public record Deletion(List<String> deleted, List<String> retainedByLock) {
        public Deletion {
            deleted = List.copyOf(deleted);
            retainedByLock = List.copyOf(retainedByLock);
        }
    }

    /**
     * Deletes segments (for retention; needs the store's delete permission). Deleting what is
     * already gone is not an error. Backup-history files of deleted segments go with them; timeline
     * history files are never deleted (they are tiny and every later timeline needs them). On a
     * store with Object Lock, an object still under retention is skipped and reported, like prune
     * does: in a versioned bucket a plain delete would only hide it behind a delete marker.
     */
    public Deletion deleteSegments(Collection<WalSegmentRef> segments) {
        return deleteSegments(segments, false);
    }

    /**
     * {@link #deleteSegments(Collection)}, or with {@code dryRun} only what it would do (the lock
     * checks included, nothing deleted).
     */
    public Deletion deleteSegments(Collection<WalSegmentRef> segments, boolean dryRun) {
        RetentionLockPolicy locks = RetentionLockPolicy.fromStore(store);
        Instant now = clock.instant();
        List<String> deleted = new ArrayList<>();
        List<String> retained = new ArrayList<>();
        TreeSet<String> gone = new TreeSet<>();
        for (WalSegmentRef r : segments) {
            String key = r.partial() ? RepositoryLayout.walPartial(cluster, r.timeline(), r.segment())
                : RepositoryLayout.walSegment(cluster, r.timeline(), r.segment());
            String name = r.fileName();
            if (!locks.deletableNow(key, now)) {
                retained.add(name);
                continue;
            }
            if (!dryRun) {
                store.delete(key);
            }
            deleted.add(name);
            gone.add(r.segment());
        }
        for (String label : scan().backupLabels()) {
            if (gone.contains(WalNames.segmentOf(label))) {
                String key = RepositoryLayout.walSegment(cluster, WalNames.timelineOf(label), label);
                if (!locks.deletableNow(key, now)) {
                    retained.add(label);
                    continue;
                }
                if (!dryRun) {
                    store.delete(key);
                }
                deleted.add(label);
            }
        }
        return new Deletion(deleted, retained);
    }

    // ------------------------------------------------------------------ internals

    record StatusJson(int version, int timeline, String lastArchivedLsn, Instant lastCommitTime, long lagBytes, long slotRetainedBytes,
            Instant updatedAt, String streamerId) {
    }

    private record Scan(List<WalSegmentRef> segments, TreeSet<Integer> histories, List<String> backupLabels) {
    }

    private void putOnce(String key, WalObjectCodec.Kind kind, String fileName, byte[] data) {
        Optional<byte[]> existing;
        try {
            existing = read(key, kind);
        } catch (CorruptObjectException e) {
            // A damaged copy is worth replacing with the good one PostgreSQL still has.
            existing = Optional.empty();
        }
        if (existing.isPresent()) {
            if (MessageDigest.isEqual(existing.get(), data)) {
                return;
            }
            throw new WalConflictException(fileName + " is already archived for cluster " + cluster
                + " with different content; refusing to overwrite it (is another cluster archiving under the name '" + cluster + "'?)");
        }
        store.put(key, codec.encode(key, kind, data, data.length), lock == null ? WAL : lock.standaloneOptions(ObjectKind.WAL));
    }

    /**
     * Removes the in-progress copy once the complete segment is stored. Best effort: a credential
     * without delete permission (backups need only put, get and list) or an object-locked bucket
     * leaves it, which is harmless, since readers prefer the complete segment.
     */
    private void dropPartial(int tli, String segment) {
        try {
            store.delete(RepositoryLayout.walPartial(cluster, tli, segment));
        } catch (StoreException e) {
            // left for retention to remove
        }
    }

    private Optional<byte[]> read(String key, WalObjectCodec.Kind expected) {
        byte[] stored;
        try {
            stored = store.get(key);
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
        WalObjectCodec.Decoded d = codec.decode(key, stored);
        if (d.kind() != expected) {
            throw new CorruptObjectException(key + " is corrupt: holds a " + d.kind() + " object, expected " + expected);
        }
        return Optional.of(d.plaintext());
    }

    private Scan scan() {
        String prefix = RepositoryLayout.walCluster(cluster);
        List<WalSegmentRef> segments = new ArrayList<>();
        TreeSet<Integer> histories = new TreeSet<>();
        List<String> labels = new ArrayList<>();
        List<ObjectInfo> infos = new ArrayList<>();
        store.list(prefix, infos::add);
        for (ObjectInfo info : infos) {
            String rest = info.key().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0 || rest.indexOf('/', slash + 1) >= 0) {
                continue;
            }
            String dir = rest.substring(0, slash);
            String name = rest.substring(slash + 1);
            WalNames.Kind kind = WalNames.kindOf(name);
            if (kind == null) {
                continue;
            }
            int tli;
            try {
                tli = WalNames.timelineOf(name);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (dir.equals("history")) {
                if (kind == WalNames.Kind.HISTORY) {
                    histories.add(tli);
                }
            } else if (dir.equals(String.format("%08X", tli))) {
                switch (kind) {
                    case SEGMENT -> segments.add(new WalSegmentRef(tli, name, false, info.size(), info.lastModified()));
                    case PARTIAL -> segments.add(new WalSegmentRef(tli, WalNames.segmentOf(name), true, info.size(), info.lastModified()));
                    case BACKUP_LABEL -> labels.add(name);
                    default -> {
                    }
                }
            }
        }
        segments.removeIf(r -> {
            try {
                WalNames.segmentNumber(r.segment(), segmentSize);
                return false;
            } catch (IllegalArgumentException e) {
                return true;
            }
        });
        segments.sort(Comparator.comparingInt(WalSegmentRef::timeline).thenComparing(WalSegmentRef::segment)
            .thenComparing(WalSegmentRef::partial));
        return new Scan(List.copyOf(segments), histories, labels);
    }

    private void addGaps(List<WalGapReport.Gap> gaps, int tli, TreeSet<Long> held) {
        Long prev = null;
        for (long n : held) {
            if (prev != null && n > prev + 1) {
                gaps.add(gap(tli, prev + 1, n - 1));
            }
            prev = n;
        }
    }

    private WalGapReport.Gap gap(int tli, long first, long last) {
        return new WalGapReport.Gap(tli, WalNames.segmentName(tli, first, segmentSize), WalNames.segmentName(tli, last, segmentSize),
            last - first + 1);
    }

    private static List<WalGapReport.Gap> dedupe(List<WalGapReport.Gap> gaps) {
        List<WalGapReport.Gap> out = new ArrayList<>();
        for (WalGapReport.Gap g : gaps) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(g)) {
                out.add(g);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "WalArchive[" + cluster + " in " + store.describe() + "]";
    }
}
