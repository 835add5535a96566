package io.lifeboat.common.maintenance;

import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.decorator.ForwardingObjectStore;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.StoreException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A store that stops accepting writes and deletes after a set number of them, as if the process
 * had been killed there: reads keep working, every later mutation fails. Also lets a test run code
 * before listings and writes, to line up concurrent runs.
 */
final class FaultInjectingStore extends ForwardingObjectStore {
    private final AtomicInteger mutationsLeft = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicInteger mutations = new AtomicInteger();
    private volatile Consumer<String> beforeList = p -> { };
    private volatile Consumer<String> beforePut = p -> { };

    FaultInjectingStore(ObjectStore delegate) {
        super(delegate);
    }

    /** Allows {@code n} more puts and deletes, then fails every one. */
    void killAfterMutations(int n) {
        mutationsLeft.set(n);
    }

    void heal() {
        mutationsLeft.set(Integer.MAX_VALUE);
    }

    int mutations() {
        return mutations.get();
    }

    void beforeList(Consumer<String> hook) {
        beforeList = hook;
    }

    void beforePut(Consumer<String> hook) {
        beforePut = hook;
    }

    private void mutate(String what) {
        if (mutationsLeft.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(n - 1, -1)) <= 0) {
            throw new StoreException("injected failure: killed before " + what);
        }
        mutations.incrementAndGet();
    }

    @Override
    public void put(String key, byte[] data, PutOptions options) {
        beforePut.accept(key);
        mutate("put " + key);
        delegate.put(key, data, options);
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> consumer) {
        beforeList.accept(prefix);
        delegate.list(prefix, consumer);
    }

    @Override
    public void delete(String key) {
        mutate("delete " + key);
        delegate.delete(key);
    }

    @Override
    public String describe() {
        return "faulty:" + delegate.describe();
    }
}
