package io.lifeboat.common.engine.files;

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
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backs up one or more paths as one snapshot of source type {@value #SOURCE_TYPE}.
 *
 * <p>The snapshot's root tree has one node per path, named by the path's last component (two paths
 * with the same last component are refused). The walk never follows symlinks; special files
 * (devices, sockets, FIFOs) are skipped with a warning. A regular file whose size, mtime, inode and
 * ctime equal the parent snapshot's node keeps the parent's content list without being read.
 *
 * <p>Parallelism and memory: one walker thread lists directories; {@link BackupOptions#threads}
 * reader threads each read and chunk one file at a time, with at most {@value #QUEUED_FILES} more
 * files listed and waiting for them (a few hundred bytes each: the walk goes on comparing
 * unchanged files with the parent while the readers work); as many saver threads hash, compress,
 * encrypt and store the chunks (the repository does that work in the calling thread), with at
 * most twice that many chunks in flight, so one large file also uses every core and memory stays
 * a few chunks per thread whatever the tree size.
 * Directory trees are stored bottom-up as their children complete. One more thread loads the
 * parent snapshot's trees ahead of the walk, breadth first, in batches for
 * {@link Repository#loadBlobs}, holding at most {@value #PREFETCH_LIMIT} trees the walk has not
 * taken yet; the walker takes a tree that is ready and loads any other itself, never waiting.
 *
 * <p>Errors: a file that vanishes or changes while read is a warning; a file or directory that
 * cannot be read is an error counted in the summary and left out of the snapshot, and the backup
 * still commits (the CLI then exits with code 3, like restic). A root path that cannot be read
 * fails the backup.
 */
public final class FileTreeSource implements BackupSource {
    public static final String SOURCE_TYPE = "files";

    /** Files the walk may queue for the readers beyond one per reader; past that it waits for them. */
    static final int QUEUED_FILES = 256;
    /** Parent trees loaded ahead and not yet used by the walk, at most; beyond, loads wait for the walk. */
    static final int PREFETCH_LIMIT = 512;
    /** Trees per {@link Repository#loadBlobs} call of the prefetch: small, so the first is ready soon. */
    static final int PREFETCH_BATCH = 16;

    private final List<Path> roots;
    private final Chunker chunker;
    private final ContentOpener opener;

    /** Opens a regular file's content; a seam so tests can make reads fail even when run as root. */
    @FunctionalInterface
    interface ContentOpener {
        InputStream open(Path file) throws IOException;
    }

    public FileTreeSource(List<Path> paths, Chunker chunker) {
        this(paths, chunker, FileTreeSource::openNoFollow);
    }

    FileTreeSource(List<Path> paths, Chunker chunker, ContentOpener opener) {
        this.opener = Objects.requireNonNull(opener, "opener");
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no paths to back up");
        }
        this.roots = paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.chunker = Objects.requireNonNull(chunker, "chunker");
        Set<String> names = new HashSet<>();
        for (Path p : roots) {
            if (!names.add(rootName(p))) {
                throw new EngineException("two paths share the name '" + rootName(p)
                    + "'; back them up in separate snapshots");
            }
        }
    }

    private static InputStream openNoFollow(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        return new SliceReadInputStream(Channels.newInputStream(ch));
    }

    @Override
    public String sourceType() {
        return SOURCE_TYPE;
    }

    @Override
    public List<String> paths() {
        return roots.stream().map(Path::toString).toList();
    }

    static String rootName(Path p) {
        Path name = p.getFileName();
        return name == null ? "root" : name.toString();
    }

    @Override
    public BackupResult backup(Repository repository, BackupOptions options, ProgressListener progress) {
        Instant start = Instant.now();
        for (Path p : roots) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new EngineException("path does not exist: " + p);
            }
        }
        Snapshot parent = options.noParent() ? null
            : options.parent() != null ? options.parent() : repository.latest(SOURCE_TYPE, paths()).orElse(null);
        BackupCounters counters = new BackupCounters();
        ContentWriter writer = new ContentWriter(repository, chunker, counters, options.threads(),
            options.threads() * 2);
        Thread scanner = startScanner(progress);
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "lifeboat-backup");
            t.setDaemon(true);
            return t;
        });
        ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lifeboat-tree-prefetch");
            t.setDaemon(true);
            return t;
        });
        try {
            Run run = new Run(repository, writer, counters, progress, pool,
                new Semaphore(options.threads() + QUEUED_FILES), opener, prefetch);
            Tree parentRoot = parent == null ? null : run.loadTree(parent.root());
            if (parentRoot != null) {
                run.startPrefetch(parentRoot);
            }
            List<CompletableFuture<TreeNode>> nodes = new ArrayList<>();
            for (Path p : roots) {
                String name = rootName(p);
                TreeNode before = parentRoot == null ? null : parentRoot.find(name).orElse(null);
                nodes.add(run.visit(p, name, before, true));
            }
            List<TreeNode> done = new ArrayList<>();
            for (CompletableFuture<TreeNode> f : nodes) {
                TreeNode n = join(f);
                if (n != null) {
                    done.add(n);
                }
            }
            run.throwIfFailed();
            BlobId root = writer.saveTree(Tree.of(done));
            var summary = counters.summary();
            Snapshot snapshot = repository.commitSnapshot(new SnapshotSpec(SOURCE_TYPE, root, options.hostname(),
                options.username(), paths(), options.tags(), parent == null ? null : parent.id(), start,
                summary.toMap(), options.labels()));
            return new BackupResult(snapshot, summary);
        } finally {
            prefetch.shutdown(); // the prefetch stops after its current batch (see prefetchBelow)
            pool.shutdownNow();
            writer.close();
            if (scanner != null) {
                scanner.interrupt();
            }
        }
    }

    private static TreeNode join(CompletableFuture<TreeNode> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            throw EngineException.propagate(c, "backup");
        }
    }

    /**
     * Counts files and bytes alongside the backup so progress can show totals and an ETA, from when
     * the listener {@linkplain ProgressListener#totalsWantedAfter() wants them}; none when it never
     * does. The backup interrupts the scan when it ends.
     *
     * @return the scanning thread, or null
     */
    private Thread startScanner(ProgressListener progress) {
        Duration after = progress.totalsWantedAfter();
        if (after == null) {
            return null;
        }
        Thread t = new Thread(() -> {
            long[] files = {0};
            long[] bytes = {0};
            try {
                if (after.isPositive()) {
                    Thread.sleep(after);
                }
                for (Path root : roots) {
                    Files.walkFileTree(root, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (Thread.currentThread().isInterrupted()) {
                                return FileVisitResult.TERMINATE;
                            }
                            if (attrs.isRegularFile()) {
                                files[0]++;
                                bytes[0] += attrs.size();
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException exc) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
                }
                if (!Thread.currentThread().isInterrupted()) {
                    progress.totals(files[0], bytes[0]);
                }
            } catch (IOException | RuntimeException e) {
                // Totals are only for display; the backup itself reports every real problem.
            } catch (InterruptedException e) {
                // the backup ended before the totals were wanted
            }
        }, "lifeboat-scan");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    /** The state of one backup run. */
    private static final class Run {
        private final Repository repository;
        private final ContentWriter writer;
        private final BackupCounters counters;
        private final ProgressListener progress;
        private final ExecutorService pool;
        private final Semaphore inFlight;
        private final AtomicReference<Throwable> fatal = new AtomicReference<>();
        private final ContentOpener opener;
        private final ExecutorService prefetch;
        /** Parent trees loaded ahead of the walk, by id; the walk takes each out once. */
        private final Map<BlobId, Tree> ahead = new ConcurrentHashMap<>();
        private final Semaphore aheadPermits = new Semaphore(PREFETCH_LIMIT);
        /** Parent trees the walk has asked for: the prefetch does not keep these. */
        private final Set<BlobId> walked = ConcurrentHashMap.newKeySet();

        Run(Repository repository, ContentWriter writer, BackupCounters counters, ProgressListener progress,
                ExecutorService pool, Semaphore inFlight, ContentOpener opener, ExecutorService prefetch) {
            this.opener = opener;
            this.prefetch = prefetch;
            this.repository = repository;
            this.writer = writer;
            this.counters = counters;
            this.progress = progress;
            this.pool = pool;
            this.inFlight = inFlight;
        }

        /**
         * A parent tree: the one the prefetch loaded when it is ready, else loaded now (the walk
         * never waits for the prefetch).
         */
        Tree loadTree(BlobId id) {
            walked.add(id);
            Tree t = ahead.remove(id);
            if (t != null) {
                aheadPermits.release();
                return t;
            }
            return Tree.decode(repository.loadBlob(id));
        }

        /**
         * Loads the parent snapshot's trees below {@code root} ahead of the walk, breadth first, in
         * batches of {@link #PREFETCH_BATCH} for {@link Repository#loadBlobs}, holding at most
         * {@link #PREFETCH_LIMIT} trees that the walk has not taken yet. Stops at the first error
         * (the walk then loads that tree itself and fails as it would without prefetch) and once
         * the backup shut its executor down.
         */
        void startPrefetch(Tree root) {
            try {
                prefetch.execute(() -> prefetchBelow(root));
            } catch (RejectedExecutionException e) {
                // no prefetch: the walk loads every tree itself
            }
        }

        private void prefetchBelow(Tree root) {
            ArrayDeque<BlobId> frontier = new ArrayDeque<>();
            Set<BlobId> seen = new HashSet<>();
            addSubtrees(root, frontier, seen);
            try {
                while (!frontier.isEmpty() && fatal.get() == null && !prefetch.isShutdown()) {
                    List<BlobId> batch = new ArrayList<>(PREFETCH_BATCH);
                    while (batch.size() < PREFETCH_BATCH && !frontier.isEmpty()) {
                        batch.add(frontier.poll());
                    }
                    // Waits for the walk to take trees, but ends with the backup: never interrupted,
                    // so no store read is cut off (the backup only shuts the executor down).
                    while (!aheadPermits.tryAcquire(batch.size(), 50, TimeUnit.MILLISECONDS)) {
                        if (prefetch.isShutdown()) {
                            return;
                        }
                    }
                    List<byte[]> blobs = repository.loadBlobs(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        BlobId id = batch.get(i);
                        Tree t = Tree.decode(blobs.get(i));
                        addSubtrees(t, frontier, seen);
                        // The walk marks a tree walked before it looks here: checking again after
                        // the put, one of the two always drops a tree the walk loaded itself.
                        if (walked.contains(id) || ahead.putIfAbsent(id, t) != null
                                || walked.contains(id) && ahead.remove(id, t)) {
                            aheadPermits.release();
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // stop prefetching; the walk loads the rest itself and reports any error there
            }
        }

        private static void addSubtrees(Tree t, ArrayDeque<BlobId> frontier, Set<BlobId> seen) {
            for (TreeNode n : t.nodes()) {
                if (n.isDir() && n.subtree() != null && seen.add(n.subtree())) {
                    frontier.add(n.subtree());
                }
            }
        }

        void throwIfFailed() {
            Throwable t = fatal.get();
            if (t != null) {
                throw EngineException.propagate(t, "backup");
            }
        }

        private void error(String message) {
            counters.errors.incrementAndGet();
            progress.error(message);
        }

        private void warn(String message) {
            counters.warn(message);
            progress.warning(message);
        }

        /** Visits one entry; the future completes with its node, or null if it is left out. */
        CompletableFuture<TreeNode> visit(Path path, String name, TreeNode before, boolean isRoot) {
            throwIfFailed();
            FileAttrs a;
            try {
                a = FileAttrs.read(path);
            } catch (NoSuchFileException e) {
                if (isRoot) {
                    throw new EngineException("path does not exist: " + path);
                }
                warn("vanished before it was read: " + path);
                return CompletableFuture.completedFuture(null);
            } catch (IOException e) {
                if (isRoot) {
                    throw new EngineException("cannot read " + path + ": " + e.getMessage());
                }
                error("cannot read " + path + ": " + reason(e));
                return CompletableFuture.completedFuture(null);
            }
            return switch (a.kind()) {
                case DIR -> visitDir(path, name, a, before, isRoot);
                case SYMLINK -> CompletableFuture.completedFuture(visitSymlink(path, name, a));
                case FILE -> visitFile(path, name, a, before);
                case OTHER -> {
                    warn("skipped special file: " + path);
                    yield CompletableFuture.completedFuture(null);
                }
            };
        }

        private CompletableFuture<TreeNode> visitDir(Path path, String name, FileAttrs a, TreeNode before,
                boolean isRoot) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
                for (Path c : ds) {
                    children.add(c);
                }
            } catch (IOException e) {
                if (isRoot) {
                    throw new EngineException("cannot list " + path + ": " + reason(e));
                }
                if (e instanceof NoSuchFileException) {
                    warn("vanished before it was read: " + path);
                } else {
                    error("cannot list " + path + ": " + reason(e));
                }
                return CompletableFuture.completedFuture(null);
            }
            Tree parentTree = before != null && before.isDir() ? loadTree(before.subtree()) : null;
            TreeNode[] befores = new TreeNode[children.size()];
            for (int i = 0; parentTree != null && i < befores.length; i++) {
                befores[i] = parentTree.find(children.get(i).getFileName().toString()).orElse(null);
            }
            List<CompletableFuture<TreeNode>> futures = new ArrayList<>(children.size());
            for (int i = 0; i < befores.length; i++) {
                Path c = children.get(i);
                futures.add(visit(c, c.getFileName().toString(), befores[i], false));
            }
            return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<TreeNode> nodes = new ArrayList<>(futures.size());
                for (CompletableFuture<TreeNode> f : futures) {
                    TreeNode n = f.join();
                    if (n != null) {
                        nodes.add(n);
                    }
                }
                BlobId subtree = writer.saveTree(Tree.of(nodes));
                counters.dirs.incrementAndGet();
                return base(name, NodeType.DIR, a).size(0).subtree(subtree).build();
            });
        }

        private TreeNode visitSymlink(Path path, String name, FileAttrs a) {
            try {
                String target = Files.readSymbolicLink(path).toString();
                counters.symlinks.incrementAndGet();
                return base(name, NodeType.SYMLINK, a).size(0).linkTarget(target).build();
            } catch (NoSuchFileException e) {
                warn("vanished before it was read: " + path);
            } catch (IOException e) {
                error("cannot read link " + path + ": " + reason(e));
            }
            return null;
        }

        private CompletableFuture<TreeNode> visitFile(Path path, String name, FileAttrs a, TreeNode before) {
            String display = path.toString();
            if (before != null && before.isFile() && before.size() == a.size() && before.mtimeNs() == a.mtimeNs()
                    && before.inode() == a.inode() && before.ctimeNs() == a.ctimeNs()
                    && before.content().stream().allMatch(repository::contains)) {
                counters.filesUnmodified.incrementAndGet();
                counters.bytesTotal.addAndGet(a.size());
                progress.itemStarted(display);
                progress.bytesProcessed(a.size());
                progress.itemDone(display, a.size(), false);
                return CompletableFuture.completedFuture(base(name, NodeType.FILE, a).content(before.content()).build());
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
                        f.complete(readFile(path, display, name, a, changed));
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

        private TreeNode readFile(Path path, String display, String name, FileAttrs a, boolean changed) {
            if (fatal.get() != null) {
                return null;
            }
            progress.itemStarted(display);
            ContentWriter.Stored stored;
            try (InputStream in = opener.open(path)) {
                stored = a.size() <= writer.singleChunkLimit() ? writer.writeWhole(readSmall(in, a.size()), progress)
                    : writer.write(in, progress);
            } catch (NoSuchFileException e) {
                warn("vanished before it was read: " + path);
                return null;
            } catch (AccessDeniedException e) {
                error("cannot read " + path + ": permission denied");
                return null;
            } catch (IOException | UncheckedIOException e) {
                error("cannot read " + path + ": " + reason(e));
                return null;
            }
            try {
                FileAttrs after = FileAttrs.read(path);
                if (after.size() != stored.size() || after.mtimeNs() != a.mtimeNs()) {
                    warn("changed while it was read: " + path);
                }
            } catch (IOException e) {
                warn("vanished while it was read: " + path);
            }
            (changed ? counters.filesChanged : counters.filesNew).incrementAndGet();
            counters.bytesTotal.addAndGet(stored.size());
            progress.itemDone(display, stored.size(), true);
            return base(name, NodeType.FILE, a).size(stored.size()).content(stored.content()).build();
        }

        /**
         * Reads a file that was {@code size} bytes when listed, in one call and into an array of
         * exactly that size. A file that grew meanwhile keeps its listed size and one that shrank
         * its shorter content; either way the check after the read warns that it changed.
         */
        private static byte[] readSmall(InputStream in, long size) throws IOException {
            byte[] content = new byte[(int) size];
            int n = in.readNBytes(content, 0, content.length);
            return n == content.length ? content : Arrays.copyOf(content, n);
        }

        private static TreeNode.Builder base(String name, NodeType type, FileAttrs a) {
            return TreeNode.builder(name, type).mode(a.mode()).uid(a.uid()).gid(a.gid()).user(a.user())
                .group(a.group()).mtimeNs(a.mtimeNs()).ctimeNs(a.ctimeNs()).inode(a.inode()).device(a.device())
                .size(a.size());
        }

        private static String reason(Exception e) {
            if (e instanceof AccessDeniedException) {
                return "permission denied";
            }
            String m = e.getMessage();
            return m == null ? e.getClass().getSimpleName() : m;
        }
    }

    /**
     * Reads at most 1 MiB per call. A channel read into a heap array goes through a temporary
     * direct buffer as large as the request, cached per thread; the chunker asks for up to its
     * maximum chunk size at once, which would pin that much native memory in every reader thread.
     */
    private static final class SliceReadInputStream extends java.io.FilterInputStream {
        private static final int SLICE = 1 << 20;

        SliceReadInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, Math.min(len, SLICE));
        }
    }
}
