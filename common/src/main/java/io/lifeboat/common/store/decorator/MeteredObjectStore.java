package io.lifeboat.common.store.decorator;

import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.TransientStoreException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reports every call (operation, outcome, latency) and the payload bytes to a
 * {@link StoreMetrics}. A {@code stat} that finds nothing is a success (the port answers it with
 * an empty result); a {@code get} of a missing key is {@link StoreMetrics.Outcome#NOT_FOUND}.
 *
 * <p>Threading: safe for concurrent use if the delegate and the metrics sink are.
 */
public final class MeteredObjectStore extends ForwardingObjectStore {
    private final StoreMetrics metrics;
    private final LongSupplier nanoClock;

    public MeteredObjectStore(ObjectStore delegate, StoreMetrics metrics) {
        this(delegate, metrics, System::nanoTime);
    }

    public MeteredObjectStore(ObjectStore delegate, StoreMetrics metrics, LongSupplier nanoClock) {
        super(delegate);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    private <T> T timed(StoreOperation operation, Supplier<T> call) {
        long start = nanoClock.getAsLong();
        try {
            T result = call.get();
            metrics.recordCall(operation, StoreMetrics.Outcome.SUCCESS, nanoClock.getAsLong() - start);
            return result;
        } catch (RuntimeException e) {
            StoreMetrics.Outcome outcome = e instanceof ObjectNotFoundException ? StoreMetrics.Outcome.NOT_FOUND
                    : e instanceof TransientStoreException ? StoreMetrics.Outcome.TRANSIENT_ERROR
                    : StoreMetrics.Outcome.PERMANENT_ERROR;
            metrics.recordCall(operation, outcome, nanoClock.getAsLong() - start);
            throw e;
        }
    }

    @Override
    public void put(String key, byte[] data, PutOptions options) {
        timed(StoreOperation.PUT, () -> {
            delegate.put(key, data, options);
            return null;
        });
        metrics.recordBytes(StoreOperation.PUT, data.length);
    }

    @Override
    public byte[] get(String key) {
        byte[] data = timed(StoreOperation.GET, () -> delegate.get(key));
        metrics.recordBytes(StoreOperation.GET, data.length);
        return data;
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        byte[] data = timed(StoreOperation.GET_RANGE, () -> delegate.getRange(key, offset, length));
        metrics.recordBytes(StoreOperation.GET_RANGE, data.length);
        return data;
    }

    @Override
    public void getRangeInto(String key, long offset, int length, byte[] dst, int dstOff) {
        timed(StoreOperation.GET_RANGE, () -> {
            delegate.getRangeInto(key, offset, length, dst, dstOff);
            return null;
        });
        metrics.recordBytes(StoreOperation.GET_RANGE, length);
    }

    @Override
    public InputStream open(String key) {
        InputStream in = timed(StoreOperation.OPEN, () -> delegate.open(key));
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    metrics.recordBytes(StoreOperation.OPEN, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    metrics.recordBytes(StoreOperation.OPEN, n);
                }
                return n;
            }
        };
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return timed(StoreOperation.STAT, () -> delegate.stat(key));
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> consumer) {
        timed(StoreOperation.LIST, () -> {
            delegate.list(prefix, consumer);
            return null;
        });
    }

    @Override
    public void delete(String key) {
        timed(StoreOperation.DELETE, () -> {
            delegate.delete(key);
            return null;
        });
    }
}
