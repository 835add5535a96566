package io.lifeboat.common.repository;

import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.store.ObjectKind;
import io.lifeboat.common.store.ObjectLockMode;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.Retention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a repository's S3 Object Lock promise (docs/design/object-lock.md): objects are written with
 * a retain-until date, and before a snapshot commits, everything it depends on is locked at least
 * as long as its manifest will be.
 *
 * <p>What it knows: a map of object key to a retain-until date known to be set on the object's
 * current version, filled from what this session wrote, from signed retention records
 * ({@code retention/}, format section 17) and from the store's answers. Only objects whose known
 * date is earlier than needed are asked about (GetObjectRetention) and, if still short, extended
 * (PutObjectRetention) to the needed date plus {@link ObjectLockSettings#extensionSlack()}. At
 * commit the dates set or seen in this session are written as one new record, so the next backup
 * asks the store only about objects that need it. A lost or unreadable record costs requests, never
 * safety: an unknown object is asked about.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class ObjectLockKeeper {
    private static final int PARALLELISM = 8;

    private final ObjectStore store;
    private final ObjectLockSettings settings;
    private final Clock clock;
    private final MaintenanceRecords records;
    private final Map<String, Instant> known = new ConcurrentHashMap<>();
    private final Map<String, Instant> learned = new ConcurrentHashMap<>();
    private volatile boolean recordsLoaded;
    private volatile boolean checked;

    /** What one {@link #protect} call did. */
    public record Protection(int objects, int queried, int extended) {
    }

    public ObjectLockKeeper(ObjectStore store, ObjectLockSettings settings, Clock clock, MaintenanceRecords records) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.records = records;
    }

    public ObjectLockSettings settings() {
        return settings;
    }

    /**
     * The options for writing {@code key} now: retain-until = now + retention + slack, rounded up
     * to a whole second. Remembers the date for the record.
     *
     * @throws RepositoryException if the store has no Object Lock (then nothing may be written:
     *     writing unprotected objects into a repository that promises protection would be a lie)
     */
    public PutOptions options(String key, ObjectKind kind) {
        requireSupport();
        Instant until = ceilSecond(clock.instant().plus(settings.retention()).plus(settings.extensionSlack()));
        note(key, until);
        return PutOptions.of(kind).withRetention(new Retention(settings.lockMode(), until));
    }

    /** The options for writing {@code key} locked until exactly {@code until}. */
    public PutOptions options(String key, ObjectKind kind, Instant until) {
        requireSupport();
        note(key, until);
        return PutOptions.of(kind).withRetention(new Retention(settings.lockMode(), until));
    }

    /**
     * The options for writing an object no snapshot depends on and that is never extended (WAL
     * segments, history and backup-history files): locked for the repository's retention from now,
     * rounded up to a whole second. Unlike {@link #options(String, ObjectKind)} the key is not
     * remembered for the retention record, so a long-running WAL streamer holds no growing state.
     *
     * @throws RepositoryException if the store has no Object Lock
     */
    public PutOptions standaloneOptions(ObjectKind kind) {
        requireSupport();
        Instant until = ceilSecond(clock.instant().plus(settings.retention()));
        return PutOptions.of(kind).withRetention(new Retention(settings.lockMode(), until));
    }

    /** The retain-until a manifest committed now needs on everything it depends on. */
    public Instant neededNow() {
        return ceilSecond(clock.instant().plus(settings.retention()));
    }

    /**
     * Makes sure every key is locked until at least {@code needed}: skips keys known to be, asks the
     * store about the others, and extends those still short (in parallel). A key that no longer
     * exists is skipped (a caller that needs it finds out on its own).
     */
    public Protection protect(Collection<String> keys, Instant needed) {
        requireSupport();
        loadRecords();
        List<String> unknown = new ArrayList<>();
        for (String k : new LinkedHashSet<>(keys)) {
            Instant until = known.get(k);
            if (until == null || until.isBefore(needed)) {
                unknown.add(k);
            }
        }
        AtomicInteger extended = new AtomicInteger();
        Instant target = ceilSecond(needed.plus(settings.extensionSlack()));
        PackRepository.parallel(unknown, key -> {
            Optional<Retention> current;
            try {
                current = store.retention(key);
            } catch (ObjectNotFoundException e) {
                return null;
            }
            if (current.isPresent() && !current.get().retainUntil().isBefore(needed)) {
                note(key, current.get().retainUntil());
                return null;
            }
            // A COMPLIANCE lock can be extended only as COMPLIANCE.
            ObjectLockMode mode = current.isPresent() && current.get().mode() == ObjectLockMode.COMPLIANCE
                ? ObjectLockMode.COMPLIANCE : settings.lockMode();
            try {
                store.extendRetention(key, new Retention(mode, target));
            } catch (ObjectNotFoundException e) {
                return null;
            }
            note(key, target);
            extended.incrementAndGet();
            return null;
        });
        return new Protection(keys.size(), unknown.size(), extended.get());
    }

    /** Writes what this session set or saw as one retention record, if anything; returns its key or null. */
    public String saveRecord() {
        Map<String, Instant> batch = new java.util.TreeMap<>(learned);
        if (batch.isEmpty()) {
            return null;
        }
        Instant now = clock.instant();
        String key = RepositoryLayout.retentionRecord(now.truncatedTo(ChronoUnit.SECONDS), HexFormat.of().formatHex(AesGcm.randomBytes(8)));
        // Not locked itself: it is a cache that maintenance consolidates; losing it costs requests only.
        store.put(key, records.encodeRetention(batch, now), PutOptions.of(ObjectKind.METADATA));
        batch.keySet().forEach(learned::remove);
        return key;
    }

    /** The retain-until known for {@code key} (from records or this session), if any. */
    public Optional<Instant> knownUntil(String key) {
        loadRecords();
        return Optional.ofNullable(known.get(key));
    }

    private void loadRecords() {
        if (recordsLoaded) {
            return;
        }
        synchronized (this) {
            if (recordsLoaded) {
                return;
            }
            List<String> keys = PackRepository.listKeys(store, RepositoryLayout.RETENTION);
            PackRepository.parallel(keys, key -> {
                try {
                    records.decodeRetention(store.get(key), key).forEach((k, until) -> known.merge(k, until, ObjectLockKeeper::later));
                } catch (RepositoryException | ObjectNotFoundException e) {
                    // unreadable or gone: its objects are simply asked about
                }
                return null;
            });
            recordsLoaded = true;
        }
    }

    private void note(String key, Instant until) {
        known.merge(key, until, ObjectLockKeeper::later);
        learned.merge(key, until, ObjectLockKeeper::later);
    }

    private void requireSupport() {
        if (checked) {
            return;
        }
        if (!store.capabilities().objectLock()) {
            throw new RepositoryException("the repository requires S3 Object Lock (" + settings.describe() + "), but "
                + store.describe() + " has none: use a bucket created with Object Lock enabled");
        }
        checked = true;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static Instant ceilSecond(Instant t) {
        Instant s = t.truncatedTo(ChronoUnit.SECONDS);
        return s.equals(t) ? s : s.plus(Duration.ofSeconds(1));
    }
}
