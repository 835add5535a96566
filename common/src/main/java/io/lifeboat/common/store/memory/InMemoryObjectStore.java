package io.lifeboat.common.store.memory;

import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * An object store in a sorted concurrent map. Stored arrays are copied on the way in and out,
 * so callers cannot change an object after writing it.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class InMemoryObjectStore implements ObjectStore {
    private record Stored(byte[] data, Instant time, PutOptions options) {
    }

    private final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();
    private final String name;

    public InMemoryObjectStore() {
        this("memory");
    }

    public InMemoryObjectStore(String name) {
        this.name = name;
    }

    @Override
    public void put(String key, byte[] data, PutOptions options) {
        checkKey(key);
        objects.put(key, new Stored(data.clone(), Instant.now(), options));
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
        objects.remove(key);
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
        objects.put(key, new Stored(data.clone(), s.time, s.options));
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
