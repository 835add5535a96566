package io.lifeboat.common.engine.objects;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.engine.BackupCounters;
import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.BackupSource;
import io.lifeboat.common.engine.ContentWriter;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.NodeType;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.Tree;
import io.lifeboat.common.engine.TreeNames;
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotSpec;
import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.TransientStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backs up the objects under a prefix of an {@link ObjectStore} (typically another bucket's
 * uploads, through the S3 adapter) as one snapshot of source type {@value #SOURCE_TYPE}.
 *
 * <p>Layout: the root tree has one directory node named {@link #rootName()}; below it, each object
 * key (relative to the prefix) becomes a path, its {@code /}-separated segments directories. A file
 * node carries the object's size, its last-modified time as {@code mtime} and its ETag as
 * {@code etag}; mode 0644, owner unknown. A directory's mtime is the latest of its contents, so an
 * unchanged prefix gives the same trees and deduplicates to the same blobs. Restoring such a
 * snapshot to a directory works like any file snapshot; {@link ObjectStoreTarget} writes it back
 * into a store.
 *
 * <p>Change detection: an object whose ETag, size and last-modified equal the parent snapshot's
 * node keeps the parent's content list without being read (no GET at all); a store without ETags
 * (a local directory) compares size and last-modified. The ETag recorded is the one the listing
 * gave, read before the object's content: an object overwritten in between is stored with newer
 * content under an older ETag, which only makes the next run read it again, never skip a change.
 *
 * <p>Keys that cannot be paths are left out and counted as errors (the CLI exits with code 3):
 * an empty segment ({@code a//b}, a leading {@code /}), {@code .} or {@code ..}, a NUL, and a key
 * that is also the prefix of other keys ({@code a} beside {@code a/b}; the directory wins). Zero-size
 * keys ending in {@code /} are folder markers and only make their directory.
 *
 * <p>Parallelism and memory: the listing is held in memory (a few hundred bytes per object, so
 * about 300 MB for a million objects); {@link BackupOptions#threads} reader threads each stream one
 * object at a time through the chunker, with at most twice that many objects in flight, and as many
 * saver threads store the chunks, so memory for content stays a few chunks per thread.
 *
 * <p>Errors: a failed listing fails the backup; an object that vanishes before it is read is a
 * warning; an object whose read fails is retried (each read restarts the object, and chunks already
 * stored deduplicate) up to {@value #READ_ATTEMPTS} times, then counted as an error and left out.
 * Put the store behind a {@link io.lifeboat.common.store.decorator.RetryingObjectStore} so that
 * listing and opening ride out transient failures.
 */
public final class ObjectStoreSource implements BackupSource {
    public static final String SOURCE_TYPE = "objects";
    static final int READ_ATTEMPTS = 3;
    static final int FILE_MODE = 0644;
    static final int DIR_MODE = 0755;

    private final ObjectStore store;
    private final String prefix;
    private final String label;
    private final String rootName;
    private final Chunker chunker;

    /**
     * @param store where the objects are
     * @param prefix key prefix to back up, within the store; empty for all, otherwise treated as a
     *     folder (a missing trailing {@code /} is added)
     * @param label the source as the user named it (e.g. {@code s3:bucket/uploads}), recorded as the
     *     snapshot's path and used to find the parent; its last segment names the root node
     */
    public ObjectStoreSource(ObjectStore store, String prefix, String label, Chunker chunker) {
        this.store = Objects.requireNonNull(store, "store");
        this.chunker = Objects.requireNonNull(chunker, "chunker");
        Objects.requireNonNull(prefix, "prefix");
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("an object source needs a label");
        }
        this.label = label;
        this.rootName = rootNameOf(label);
    }

    /** The last non-empty segment of the label after any scheme, e.g. {@code uploads}; else {@code root}. */
    static String rootNameOf(String label) {
        String v = label.substring(label.indexOf(':') + 1);
        String[] parts = v.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (TreeNames.isSafe(parts[i])) {
                return parts[i];
            }
        }
        return "root";
    }

    @Override
    public String sourceType() {
        return SOURCE_TYPE;
    }

    @Override
    public List<String> paths() {
        return List.of(label);
    }

    /** The name of the root tree's single node. */
    public String rootName() {
        return rootName;
    }

    @Override
    public BackupResult backup(Repository repository, BackupOptions options, ProgressListener progress) {
        Instant start = Instant.now();
        Snapshot parent = options.noParent() ? null
            : options.parent() != null ? options.parent() : repository.latest(SOURCE_TYPE, paths()).orElse(null);
        BackupCounters counters = new BackupCounters();
        Dir listing = list(counters, progress);
        ContentWriter writer = new ContentWriter(repository, chunker, counters, options.threads(),
            options.threads() * 2);
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "lifeboat-object-read");
            t.setDaemon(true);
            return t;
        });
        try {
            Run run = new Run(repository, writer, counters, progress, pool, new Semaphore(options.threads() * 2));
            Tree parentRoot = parent == null ? null : run.loadTree(parent.root());
            TreeNode before = parentRoot == null ? null : parentRoot.find(rootName).orElse(null);
            TreeNode top = join(run.visitDir(listing, rootName, "", before));
            run.throwIfFailed();
            BlobId root = writer.saveTree(Tree.of(List.of(top)));
            var summary = counters.summary();
            Snapshot snapshot = repository.commitSnapshot(new SnapshotSpec(SOURCE_TYPE, root, options.hostname(),
                options.username(), paths(), options.tags(), parent == null ? null : parent.id(), start,
                summary.toMap(), options.labels()));
            return new BackupResult(snapshot, summary);
        } finally {
            pool.shutdownNow();
            writer.close();
        }
    }

    /** A directory of the listing: subdirectories and objects by name, in tree order. */
    static final class Dir {
        final Map<String, Dir> dirs = new TreeMap<>(TreeNames.ORDER);
        final Map<String, ObjectInfo> files = new TreeMap<>(TreeNames.ORDER);
    }

    /** Lists the prefix into a directory model; unrepresentable keys are counted as errors. */
    private Dir list(BackupCounters counters, ProgressListener progress) {
        Dir root = new Dir();
        long[] totals = {0, 0};
        try {
            store.list(prefix, info -> {
                String key = info.key();
                if (!key.startsWith(prefix)) {
                    return;
                }
                String rel = key.substring(prefix.length());
                if (rel.isEmpty()) {
                    return;
                }
                boolean marker = rel.endsWith("/");
                if (marker && info.size() == 0) {
                    rel = rel.substring(0, rel.length() - 1);
                }
                String[] parts = rel.split("/", -1);
                for (String p : parts) {
                    if (!TreeNames.isSafe(p)) {
                        error(counters, progress, "cannot back up object " + key
                            + ": its key is not a path (empty segment, '.', '..' or NUL)");
                        return;
                    }
                }
                Dir d = root;
                int dirsInKey = marker && info.size() == 0 ? parts.length : parts.length - 1;
                for (int i = 0; i < dirsInKey; i++) {
                    d = d.dirs.computeIfAbsent(parts[i], n -> new Dir());
                }
                if (dirsInKey < parts.length) {
                    d.files.put(parts[parts.length - 1], info);
                    totals[0]++;
                    totals[1] += info.size();
                }
            });
        } catch (StoreException e) {
            throw new EngineException("cannot list " + label + ": " + e.getMessage(), e);
        }
        progress.totals(totals[0], totals[1]);
        dropShadowed(root, prefix, counters, progress);
        return root;
    }

    /** An object whose name is also a directory cannot be a node beside it: the directory wins. */
    private static void dropShadowed(Dir d, String path, BackupCounters counters, ProgressListener progress) {
        for (var e : d.dirs.entrySet()) {
            ObjectInfo shadowed = d.files.remove(e.getKey());
            if (shadowed != null) {
                error(counters, progress, "cannot back up object " + shadowed.key()
                    + ": other keys use it as a folder (" + shadowed.key() + "/...)");
            }
            dropShadowed(e.getValue(), path + e.getKey() + "/", counters, progress);
        }
    }

    private static void error(BackupCounters counters, ProgressListener progress, String message) {
        counters.errors.incrementAndGet();
        progress.error(message);
    }

    private static TreeNode join(CompletableFuture<TreeNode> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            throw EngineException.propagate(c, "backup");
        }
    }

    /** The state of one backup run. */
    private final class Run {
        private final Repository repository;
        private final ContentWriter writer;
        private final BackupCounters counters;
        private final ProgressListener progress;
        private final ExecutorService pool;
        private final Semaphore inFlight;
        private final AtomicReference<Throwable> fatal = new AtomicReference<>();

        Run(Repository repository, ContentWriter writer, BackupCounters counters, ProgressListener progress,
                ExecutorService pool, Semaphore inFlight) {
            this.repository = repository;
            this.writer = writer;
            this.counters = counters;
            this.progress = progress;
            this.pool = pool;
            this.inFlight = inFlight;
        }

        Tree loadTree(BlobId id) {
            return Tree.decode(repository.loadBlob(id));
        }

        void throwIfFailed() {
            Throwable t = fatal.get();
            if (t != null) {
                throw EngineException.propagate(t, "backup");
            }
        }

        CompletableFuture<TreeNode> visitDir(Dir dir, String name, String path, TreeNode before) {
            throwIfFailed();
            Tree parentTree = before != null && before.isDir() ? loadTree(before.subtree()) : null;
            List<CompletableFuture<TreeNode>> futures = new ArrayList<>();
            for (var e : dir.dirs.entrySet()) {
                futures.add(visitDir(e.getValue(), e.getKey(), path + e.getKey() + "/", find(parentTree, e.getKey())));
            }
            for (var e : dir.files.entrySet()) {
                futures.add(visitFile(e.getValue(), e.getKey(), find(parentTree, e.getKey())));
            }
            return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<TreeNode> nodes = new ArrayList<>(futures.size());
                long mtime = 0;
                for (CompletableFuture<TreeNode> f : futures) {
                    TreeNode n = f.join();
                    if (n != null) {
                        nodes.add(n);
                        mtime = Math.max(mtime, n.mtimeNs());
                    }
                }
                BlobId subtree = writer.saveTree(Tree.of(nodes));
                counters.dirs.incrementAndGet();
                return TreeNode.builder(name, NodeType.DIR).mode(DIR_MODE).mtimeNs(mtime).subtree(subtree).build();
            });
        }

        private static TreeNode find(Tree tree, String name) {
            return tree == null ? null : tree.find(name).orElse(null);
        }

        private CompletableFuture<TreeNode> visitFile(ObjectInfo info, String name, TreeNode before) {
            long mtime = nanos(info.lastModified());
            if (unchanged(info, mtime, before)) {
                counters.filesUnmodified.incrementAndGet();
                counters.bytesTotal.addAndGet(info.size());
                progress.itemStarted(info.key());
                progress.bytesProcessed(info.size());
                progress.itemDone(info.key(), info.size(), false);
                return CompletableFuture.completedFuture(node(name, info, mtime, before.content(), info.size(),
                    info.etag()));
            }
            boolean changed = before != null;
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("backup interrupted");
            }
            CompletableFuture<TreeNode> f = new CompletableFuture<>();
            try {
                pool.execute(() -> {
                    try {
                        f.complete(read(info, name, mtime, changed));
                    } catch (Throwable t) {
                        fatal.compareAndSet(null, t);
                        f.completeExceptionally(t);
                    } finally {
                        inFlight.release();
                    }
                });
            } catch (RuntimeException e) {
                inFlight.release();
                throw e;
            }
            return f;
        }

        private boolean unchanged(ObjectInfo info, long mtime, TreeNode before) {
            return before != null && before.isFile() && before.size() == info.size() && before.mtimeNs() == mtime
                && Objects.equals(before.etag(), info.etag())
                && before.content().stream().allMatch(repository::contains);
        }

        private TreeNode read(ObjectInfo info, String name, long mtime, boolean changed) {
            if (fatal.get() != null) {
                return null;
            }
            String key = info.key();
            progress.itemStarted(key);
            ContentWriter.Stored stored = null;
            for (int attempt = 1; stored == null; attempt++) {
                try (InputStream in = store.open(key)) {
                    stored = writer.write(in, progress);
                } catch (ObjectNotFoundException e) {
                    warn("vanished before it was read: " + key);
                    return null;
                } catch (IOException | UncheckedIOException | TransientStoreException e) {
                    if (attempt >= READ_ATTEMPTS) {
                        error(counters, progress, "cannot read object " + key + " after " + attempt + " attempts: "
                            + reason(e));
                        return null;
                    }
                } catch (StoreException e) {
                    error(counters, progress, "cannot read object " + key + ": " + reason(e));
                    return null;
                }
            }
            String etag = info.etag();
            if (stored.size() != info.size()) {
                // Overwritten between the listing and the read: keep what was read, and no ETag, so
                // the next run reads it again.
                warn("changed while it was read: " + key);
                etag = null;
            }
            (changed ? counters.filesChanged : counters.filesNew).incrementAndGet();
            counters.bytesTotal.addAndGet(stored.size());
            progress.itemDone(key, stored.size(), true);
            return node(name, info, mtime, stored.content(), stored.size(), etag);
        }

        private void warn(String message) {
            counters.warn(message);
            progress.warning(message);
        }
    }

    private static TreeNode node(String name, ObjectInfo info, long mtime, List<BlobId> content, long size,
            String etag) {
        return TreeNode.builder(name, NodeType.FILE).mode(FILE_MODE).mtimeNs(mtime).size(size).content(content)
            .etag(etag).build();
    }

    static long nanos(Instant t) {
        if (t == null) {
            return 0;
        }
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
