package io.lifeboat.common.store.decorator;

import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/** A minimal map-backed store under the decorators in these tests; tests subclass it to script failures. */
class MapObjectStore implements ObjectStore {
    final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public void put(String key, byte[] data, PutOptions options) {
        objects.put(key, data.clone());
    }

    private byte[] stored(String key) {
        byte[] d = objects.get(key);
        if (d == null) {
            throw new ObjectNotFoundException(key);
        }
        return d;
    }

    @Override
    public byte[] get(String key) {
        return stored(key).clone();
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        byte[] d = stored(key);
        if (offset + length > d.length) {
            throw new StoreException("range past end");
        }
        return Arrays.copyOfRange(d, (int) offset, (int) offset + length);
    }

    @Override
    public InputStream open(String key) {
        return new ByteArrayInputStream(stored(key));
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        byte[] d = objects.get(key);
        return d == null ? Optional.empty() : Optional.of(new ObjectInfo(key, d.length, Instant.EPOCH, null));
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> consumer) {
        objects.tailMap(prefix).entrySet().stream().takeWhile(e -> e.getKey().startsWith(prefix))
                .forEach(e -> consumer.accept(new ObjectInfo(e.getKey(), e.getValue().length, Instant.EPOCH, null)));
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    @Override
    public String describe() {
        return "map";
    }
}
