package io.lifeboat.common.engine.objects;

import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.decorator.ForwardingObjectStore;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * An in-memory store that gives ETags (a hash of the content, like S3's MD5 for single-part
 * objects) and records which keys were read.
 */
final class EtaggedStore extends ForwardingObjectStore {
    final Set<String> opened = ConcurrentHashMap.newKeySet();
    private final boolean etags;

    EtaggedStore() {
        this(new InMemoryObjectStore("etagged"), true);
    }

    /** @param etags false for a store without ETags that still records reads */
    EtaggedStore(ObjectStore delegate, boolean etags) {
        super(delegate);
        this.etags = etags;
    }

    private ObjectInfo tagged(ObjectInfo i) {
        if (!etags) {
            return i;
        }
        String etag = "\"" + HexFormat.of().formatHex(Sha256.hash(delegate.get(i.key()))).substring(0, 32) + "\"";
        return new ObjectInfo(i.key(), i.size(), i.lastModified(), etag);
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> consumer) {
        delegate.list(prefix, i -> consumer.accept(tagged(i)));
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return delegate.stat(key).map(this::tagged);
    }

    @Override
    public InputStream open(String key) {
        opened.add(key);
        return delegate.open(key);
    }

    @Override
    public byte[] get(String key) {
        opened.add(key);
        return delegate.get(key);
    }
}
