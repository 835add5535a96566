package io.lifeboat.common.store.decorator;

import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.StoreException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.function.LongSupplier;

/**
 * Limits upload and download bandwidth ({@code --limit-upload}, {@code --limit-download}) with
 * one {@link TokenBucket} each. Uploads pay before the call; downloads pay once the size is known
 * (after the call; for a ranged read, before), so a download's wait delays the next download.
 * Metadata calls (stat, list, delete) are not limited.
 *
 * <p>Threading: safe for concurrent use if the delegate is; all threads share the limits.
 */
public final class ThrottledObjectStore extends ForwardingObjectStore {
    private final TokenBucket upload;
    private final TokenBucket download;

    /**
     * @param upload limit for puts, or null for none
     * @param download limit for gets and streams, or null for none
     */
    public ThrottledObjectStore(ObjectStore delegate, TokenBucket upload, TokenBucket download) {
        super(delegate);
        this.upload = upload;
        this.download = download;
    }

    /**
     * The CLI's form: limits in KiB/s, 0 for unlimited; the burst is one second's worth (at least
     * 64 KiB) so a single small object is never held back after a pause.
     */
    public static ObjectStore ofKibPerSecond(ObjectStore delegate, long uploadKibPerSecond, long downloadKibPerSecond) {
        return ofKibPerSecond(delegate, uploadKibPerSecond, downloadKibPerSecond, System::nanoTime, Sleeper.SYSTEM);
    }

    static ObjectStore ofKibPerSecond(ObjectStore delegate, long uploadKibPerSecond, long downloadKibPerSecond,
            LongSupplier nanoClock, Sleeper sleeper) {
        if (uploadKibPerSecond < 0 || downloadKibPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth limits must not be negative");
        }
        if (uploadKibPerSecond == 0 && downloadKibPerSecond == 0) {
            return delegate;
        }
        return new ThrottledObjectStore(delegate, bucket(uploadKibPerSecond, nanoClock, sleeper),
                bucket(downloadKibPerSecond, nanoClock, sleeper));
    }

    private static TokenBucket bucket(long kibPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
        if (kibPerSecond == 0) {
            return null;
        }
        long rate = Math.multiplyExact(kibPerSecond, 1024L);
        return new TokenBucket(rate, Math.max(rate, 64 * 1024), nanoClock, sleeper);
    }

    private static void take(TokenBucket bucket, long bytes) {
        if (bucket == null) {
            return;
        }
        try {
            bucket.acquire(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while throttled", e);
        }
    }

    @Override
    public void put(String key, byte[] data, PutOptions options) {
        take(upload, data.length);
        delegate.put(key, data, options);
    }

    @Override
    public byte[] get(String key) {
        byte[] data = delegate.get(key);
        take(download, data.length);
        return data;
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        take(download, length);
        return delegate.getRange(key, offset, length);
    }

    @Override
    public void getRangeInto(String key, long offset, int length, byte[] dst, int dstOff) {
        take(download, length);
        delegate.getRangeInto(key, offset, length, dst, dstOff);
    }

    @Override
    public InputStream open(String key) {
        InputStream in = delegate.open(key);
        if (download == null) {
            return in;
        }
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    pay(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    pay(n);
                }
                return n;
            }

            private void pay(int n) throws InterruptedIOException {
                try {
                    download.acquire(n);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while throttled");
                }
            }
        };
    }

    @Override
    public String describe() {
        return delegate.describe() + " (throttled"
                + (upload == null ? "" : ", up " + upload.bytesPerSecond() / 1024 + " KiB/s")
                + (download == null ? "" : ", down " + download.bytesPerSecond() / 1024 + " KiB/s") + ")";
    }
}
