package io.lifeboat.common.engine.objects;

import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.RestoreSummary;
import io.lifeboat.common.engine.RestoreTarget;
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.engine.TreeWalker;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Restores a snapshot's files as objects under a prefix of an {@link ObjectStore}: the file at
 * snapshot path {@code p} becomes key {@code prefix + p}. Any snapshot works (an
 * {@link ObjectStoreSource} one gives back its objects, under the root node's name); directories
 * have no objects of their own, symlinks are skipped with a warning.
 *
 * <p>Limits: the port writes whole objects, so each file is assembled in memory before its put; a
 * file larger than {@code maxObjectBytes} is not restored and counted as an error (restore it to a
 * directory instead), and at most {@code maxObjectBytes} plus one object per thread is buffered at
 * once. Object metadata the source had besides its content (content type, tags, user metadata) is
 * not in the snapshot and is not restored; the new objects get new ETags and times.
 *
 * <p>Idempotency: without {@code overwrite}, a prefix that already holds any object fails the
 * restore before anything is written; with it, existing keys are replaced.
 */
public final class ObjectStoreTarget implements RestoreTarget {
    /** Default largest file restored into a store, in bytes. */
    public static final long DEFAULT_MAX_OBJECT_BYTES = 256L << 20;

    private final ObjectStore store;
    private final String prefix;
    private final boolean overwrite;
    private final int threads;
    private final long maxObjectBytes;

    /**
     * @param prefix key prefix to restore under; empty for the store's root, otherwise treated as a
     *     folder (a missing trailing {@code /} is added)
     * @param threads objects written at once; at least 1
     * @param maxObjectBytes largest file restored; at most {@code Integer.MAX_VALUE - 8}
     */
    public ObjectStoreTarget(ObjectStore store, String prefix, boolean overwrite, int threads, long maxObjectBytes) {
        this.store = Objects.requireNonNull(store, "store");
        Objects.requireNonNull(prefix, "prefix");
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.overwrite = overwrite;
        this.threads = Math.max(1, threads);
        if (maxObjectBytes < 1 || maxObjectBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxObjectBytes out of range: " + maxObjectBytes);
        }
        this.maxObjectBytes = maxObjectBytes;
    }

    public ObjectStoreTarget(ObjectStore store, String prefix, boolean overwrite, int threads) {
        this(store, prefix, overwrite, threads, DEFAULT_MAX_OBJECT_BYTES);
    }

    private record Item(String path, TreeNode node) {
    }

    @Override
    public RestoreSummary restore(Repository repository, Snapshot snapshot, List<String> includes,
            ProgressListener progress) {
        long start = System.nanoTime();
        List<List<String>> selection = includes.stream().map(TreeWalker::split).toList();
        Set<List<String>> matched = new HashSet<>();
        List<Item> items = new ArrayList<>();
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        AtomicLong dirs = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        // The walk decodes every tree first, so a malformed or unsafe one fails before any write.
        new TreeWalker(repository).walk(snapshot.root(), (path, node) -> {
            List<String> parts = TreeWalker.split(path);
            boolean inside = selection.isEmpty();
            boolean ancestor = false;
            for (List<String> inc : selection) {
                if (parts.size() >= inc.size() && parts.subList(0, inc.size()).equals(inc)) {
                    inside = true;
                    if (parts.size() == inc.size()) {
                        matched.add(inc);
                    }
                } else if (parts.size() < inc.size() && inc.subList(0, parts.size()).equals(parts)) {
                    ancestor = true;
                }
            }
            if (!inside) {
                return ancestor;
            }
            switch (node.type()) {
                case FILE -> items.add(new Item(path, node));
                case DIR -> dirs.incrementAndGet();
                case SYMLINK -> {
                    String w = "skipped symlink (an object store has none): " + path;
                    warnings.add(w);
                    progress.warning(w);
                }
            }
            return true;
        });
        for (List<String> inc : selection) {
            if (!matched.contains(inc)) {
                throw new EngineException("path not found in snapshot " + snapshot.id().shortHex() + ": "
                    + String.join("/", inc));
            }
        }
        checkEmpty();
        progress.totals(items.size(), items.stream().mapToLong(i -> i.node().size()).sum());
        AtomicLong files = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        // Bytes buffered at once: the largest object plus some room, so one big object never waits forever.
        int budget = (int) Math.min(Integer.MAX_VALUE, maxObjectBytes + (64L << 20));
        Semaphore memory = new Semaphore(budget);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lifeboat-object-restore");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Item item : items) {
                TreeNode n = item.node();
                if (n.size() > maxObjectBytes) {
                    errors.incrementAndGet();
                    progress.error("not restored: " + item.path() + " is " + n.size() + " bytes, more than the "
                        + maxObjectBytes + " an object is restored from memory; restore it to a directory");
                    continue;
                }
                int size = (int) n.size();
                memory.acquireUninterruptibly(Math.max(1, size));
                try {
                    futures.add(pool.submit(() -> {
                        try {
                            write(repository, item, progress);
                            files.incrementAndGet();
                            bytes.addAndGet(size);
                        } finally {
                            memory.release(Math.max(1, size));
                        }
                    }));
                } catch (RuntimeException e) {
                    memory.release(Math.max(1, size));
                    throw e;
                }
            }
            for (Future<?> f : futures) {
                await(f);
            }
        } finally {
            pool.shutdownNow();
        }
        return new RestoreSummary(files.get(), dirs.get(), 0, bytes.get(), errors.get(), List.copyOf(warnings),
            Duration.ofNanos(System.nanoTime() - start));
    }

    private void checkEmpty() {
        if (overwrite) {
            return;
        }
        boolean[] any = {false};
        try {
            store.list(prefix, i -> any[0] = true);
        } catch (StoreException e) {
            throw new EngineException("cannot use restore target " + store.describe() + ": " + e.getMessage(), e);
        }
        if (any[0]) {
            throw new EngineException("restore target " + (prefix.isEmpty() ? store.describe() : prefix)
                + " already holds objects; choose an empty prefix or pass --overwrite");
        }
    }

    private void write(Repository repository, Item item, ProgressListener progress) {
        TreeNode n = item.node();
        progress.itemStarted(item.path());
        byte[] data = new byte[(int) n.size()];
        int at = 0;
        for (BlobId id : n.content()) {
            byte[] blob = repository.loadBlob(id);
            if (at + blob.length > data.length) {
                throw new EngineException("file " + item.path() + " holds more bytes than its recorded size "
                    + n.size() + "; the snapshot is inconsistent");
            }
            System.arraycopy(blob, 0, data, at, blob.length);
            at += blob.length;
        }
        if (at != data.length) {
            throw new EngineException("file " + item.path() + " holds " + at + " bytes, not its recorded size "
                + n.size() + "; the snapshot is inconsistent");
        }
        store.put(prefix + item.path(), data, PutOptions.DEFAULT);
        progress.bytesProcessed(data.length);
        progress.itemDone(item.path(), data.length, true);
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("restore interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw EngineException.propagate(c, "restore");
        }
    }
}
