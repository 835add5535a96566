package io.lifeboat.common.engine.postgres.physical;

import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.repository.BlobId;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Hands out the blobs of a list in order while loader threads fetch, decrypt, verify and decompress the
 * next ones: at most {@code window} blobs are loading or loaded and not yet taken, so memory stays bounded
 * (window × the largest blob). A loader's failure is thrown by the {@link #next} that reaches its blob, as
 * thrown (an {@link EngineException} wraps a checked one); {@link #close} cancels what is still loading and
 * waits (up to 10 s) for the loader threads to end, so neither a failure nor an early close leaves a thread behind.
 * Not thread-safe: one consumer.
 */
final class BlobReadAhead implements AutoCloseable {
    private static final int CLOSE_WAIT_SECONDS = 10;
    private final List<BlobId> ids;
    private final Function<BlobId, byte[]> load;
    private final int window;
    private final ExecutorService loaders;
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    private int submitted;
    private boolean closed;

    BlobReadAhead(List<BlobId> ids, Function<BlobId, byte[]> load, int window, int threads, String threadName) {
        if (window < 1 || threads < 1) {
            throw new IllegalArgumentException("window and threads must be at least 1: " + window + ", " + threads);
        }
        this.ids = List.copyOf(ids);
        this.load = load;
        this.window = window;
        this.loaders = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, this.ids.size())), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    /** The next blob in list order, or null after the last. */
    byte[] next() {
        if (closed) {
            throw new IllegalStateException("read-ahead closed");
        }
        Future<byte[]> head = pending.poll();
        if (head == null) {
            return null;
        }
        byte[] blob;
        try {
            blob = head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while restoring", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new EngineException(e.getCause().getMessage(), e.getCause());
        }
        fill();
        return blob;
    }

    private void fill() {
        while (submitted < ids.size() && pending.size() < window) {
            BlobId id = ids.get(submitted++);
            pending.add(loaders.submit(() -> load.apply(id)));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending.forEach(f -> f.cancel(true));
        pending.clear();
        loaders.shutdownNow();
        try {
            // A loader blocked in an uninterruptible read ends when the read does; the threads are daemons,
            // so one stuck in a hung read cannot hold the process or this close for longer.
            loaders.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
