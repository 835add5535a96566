package io.lifeboat.common.store.memory;

import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectLockMode;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectVersion;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.Retention;
import io.lifeboat.common.store.StoreCapabilities;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.UnsupportedStoreOperationException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An object store in a sorted concurrent map. Stored arrays are copied on the way in and out,
 * so callers cannot change an object after writing it.
 *
 * <p>{@link #versioned()} makes one that behaves like an S3 bucket with versioning and Object
 * Lock: every put adds a version, a plain delete adds a delete marker, and a version under
 * retention cannot be deleted, so unit tests exercise the same paths as a real locked bucket.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class InMemoryObjectStore implements ObjectStore {
    private record Stored(byte[] data, Instant time, PutOptions options) {
    }

    /** One version; {@code stored} is null for a delete marker. Retention is mutable (extended in place). */
    private static final class Version {
        final String id;
        final Stored stored;
        final Instant time;
        Retention retention;

        Version(String id, Stored stored, Instant time, Retention retention) {
            this.id = id;
            this.stored = stored;
            this.time = time;
            this.retention = retention;
        }
    }

    private final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();
    /** Versioned stores only: every version of a key, newest first. Guarded by {@code this}. */
    private final ConcurrentSkipListMap<String, List<Version>> history;
    private final AtomicLong versionIds = new AtomicLong();
    private final String name;

    public InMemoryObjectStore() {
        this("memory");
    }

    public InMemoryObjectStore(String name) {
        this(name, false);
    }

    private InMemoryObjectStore(String name, boolean versioned) {
        this.name = name;
        this.history = versioned ? new ConcurrentSkipListMap<>() : null;
    }

    /** A store with versioning and Object Lock, like a bucket created with Object Lock enabled. */
    public static InMemoryObjectStore versioned() {
        return new InMemoryObjectStore("memory-versioned", true);
    }

    @Override
    public StoreCapabilities capabilities() {
        return history == null ? StoreCapabilities.NONE : StoreCapabilities.VERSIONED_WITH_LOCK;
    }

    @Override
    public void put(String key, byte[] data, PutOptions options) {
        checkKey(key);
        Stored stored = new Stored(data.clone(), Instant.now(), options);
        if (history == null) {
            if (options.retention() != null) {
                throw new UnsupportedStoreOperationException(describe() + " does not support Object Lock retention");
            }
            objects.put(key, stored);
            return;
        }
        synchronized (this) {
            history.computeIfAbsent(key, k -> new ArrayList<>()).add(0, new Version(newVersionId(), stored, stored.time, options.retention()));
            objects.put(key, stored);
        }
    }

    @Override
    public byte[] get(String key) {
        return stored(key).data.clone();
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        byte[] data = stored(key).data;
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new StoreException("range " + offset + "+" + length + " runs past the end of " + key + " (" + data.length + " bytes)");
        }
        return Arrays.copyOfRange(data, (int) offset, (int) offset + length);
    }

    @Override
    public InputStream open(String key) {
        return new ByteArrayInputStream(stored(key).data);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Stored s = objects.get(key);
        return s == null ? Optional.empty() : Optional.of(info(key, s));
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> consumer) {
        List<ObjectInfo> snapshot = new ArrayList<>();
        for (Map.Entry<String, Stored> e : objects.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            snapshot.add(info(e.getKey(), e.getValue()));
        }
        snapshot.forEach(consumer);
    }

    @Override
    public void delete(String key) {
        if (history == null) {
            objects.remove(key);
            return;
        }
        synchronized (this) {
            if (objects.remove(key) != null) {
                history.get(key).add(0, new Version(newVersionId(), null, Instant.now(), null));
            }
        }
    }

    @Override
    public void listVersions(String prefix, Consumer<ObjectVersion> consumer) {
        requireVersioning();
        List<ObjectVersion> out = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<String, List<Version>> e : history.tailMap(prefix, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                boolean first = true;
                for (Version v : e.getValue()) {
                    out.add(new ObjectVersion(e.getKey(), v.id, first, v.stored == null, v.stored == null ? 0 : v.stored.data.length, v.time));
                    first = false;
                }
            }
        }
        out.forEach(consumer);
    }

    @Override
    public byte[] getVersion(String key, String versionId) {
        requireVersioning();
        synchronized (this) {
            Version v = version(key, versionId);
            if (v.stored == null) {
                throw new ObjectNotFoundException(key + " (version " + versionId + " is a delete marker)");
            }
            return v.stored.data.clone();
        }
    }

    @Override
    public void deleteVersion(String key, String versionId) {
        requireVersioning();
        synchronized (this) {
            List<Version> versions = history.get(key);
            Version v = version(key, versionId);
            if (v.retention != null && v.retention.activeAt(Instant.now())) {
                throw new StoreException("access denied: version " + versionId + " of " + key + " is locked until " + v.retention.retainUntil());
            }
            versions.remove(v);
            if (versions.isEmpty()) {
                history.remove(key);
                objects.remove(key);
            } else if (versions.get(0).stored == null) {
                objects.remove(key);
            } else {
                objects.put(key, versions.get(0).stored);
            }
        }
    }

    @Override
    public Optional<Retention> retention(String key) {
        requireVersioning();
        synchronized (this) {
            return Optional.ofNullable(current(key).retention);
        }
    }

    @Override
    public void extendRetention(String key, Retention retention) {
        requireVersioning();
        synchronized (this) {
            Version v = current(key);
            Retention old = v.retention;
            if (old != null && old.mode() == ObjectLockMode.COMPLIANCE && old.activeAt(Instant.now())
                    && (retention.mode() != ObjectLockMode.COMPLIANCE || retention.retainUntil().isBefore(old.retainUntil()))) {
                throw new StoreException("access denied: the COMPLIANCE retention of " + key + " cannot be shortened or weakened");
            }
            v.retention = retention;
        }
    }

    private Version current(String key) {
        List<Version> versions = history.get(key);
        if (versions == null || versions.isEmpty() || versions.get(0).stored == null) {
            throw new ObjectNotFoundException(key);
        }
        return versions.get(0);
    }

    private Version version(String key, String versionId) {
        List<Version> versions = history.get(key);
        if (versions != null) {
            for (Version v : versions) {
                if (v.id.equals(versionId)) {
                    return v;
                }
            }
        }
        throw new ObjectNotFoundException(key + " (version " + versionId + ")");
    }

    private void requireVersioning() {
        if (history == null) {
            throw new UnsupportedStoreOperationException(describe() + " does not keep object versions");
        }
    }

    private String newVersionId() {
        return String.format("v%012d", versionIds.incrementAndGet());
    }

    @Override
    public String describe() {
        return "memory:" + name;
    }

    /** The kind an object was written with, for tests of storage-class routing. */
    public Optional<PutOptions> putOptions(String key) {
        Stored s = objects.get(key);
        return s == null ? Optional.empty() : Optional.of(s.options);
    }

    /** Replaces an object's bytes without any check: for corruption tests. */
    public void corrupt(String key, byte[] data) {
        Stored s = stored(key);
        Stored bad = new Stored(data.clone(), s.time, s.options);
        if (history != null) {
            synchronized (this) {
                Version v = current(key);
                history.get(key).set(0, new Version(v.id, bad, v.time, v.retention));
            }
        }
        objects.put(key, bad);
    }

    /** Number of objects stored. */
    public int size() {
        return objects.size();
    }

    private Stored stored(String key) {
        Stored s = objects.get(key);
        if (s == null) {
            throw new ObjectNotFoundException(key);
        }
        return s;
    }

    private static ObjectInfo info(String key, Stored s) {
        return new ObjectInfo(key, s.data.length, s.time, null);
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/")) {
            throw new StoreException("invalid object key: " + key);
        }
    }
}
