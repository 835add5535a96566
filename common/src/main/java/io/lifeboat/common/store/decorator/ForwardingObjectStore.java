package io.lifeboat.common.store.decorator;

import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.ObjectVersion;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.Retention;
import io.lifeboat.common.store.StoreCapabilities;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Base for decorators: forwards every call to the wrapped store. Subclasses override what they
 * change. {@link #exists(String)} forwards to {@link #stat(String)} of this object, so a
 * decorator sees it as a stat. {@link #getRangeInto} is not forwarded: it reads through
 * {@link #getRange} of this object, so a subclass that changes {@code getRange} changes both; a
 * decorator that only adds behaviour around a call forwards it itself.
 *
 * <p>Threading: as safe as the subclass and the delegate; this class holds no state of its own.
 */
public abstract class ForwardingObjectStore implements ObjectStore {
    protected final ObjectStore delegate;

    protected ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void put(String key, byte[] data, PutOptions options) {
        delegate.put(key, data, options);
    }

    @Override
    public byte[] get(String key) {
        return delegate.get(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return delegate.getRange(key, offset, length);
    }

    @Override
    public InputStream open(String key) {
        return delegate.open(key);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return delegate.stat(key);
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> consumer) {
        delegate.list(prefix, consumer);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public StoreCapabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public void listVersions(String prefix, Consumer<ObjectVersion> consumer) {
        delegate.listVersions(prefix, consumer);
    }

    @Override
    public byte[] getVersion(String key, String versionId) {
        return delegate.getVersion(key, versionId);
    }

    @Override
    public byte[] getVersionRange(String key, String versionId, long offset, int length) {
        return delegate.getVersionRange(key, versionId, offset, length);
    }

    @Override
    public void deleteVersion(String key, String versionId) {
        delegate.deleteVersion(key, versionId);
    }

    @Override
    public Optional<Retention> retention(String key) {
        return delegate.retention(key);
    }

    @Override
    public void extendRetention(String key, Retention retention) {
        delegate.extendRetention(key, retention);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
