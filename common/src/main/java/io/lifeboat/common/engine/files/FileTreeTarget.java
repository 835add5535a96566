package io.lifeboat.common.engine.files;

import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.RestoreSummary;
import io.lifeboat.common.engine.RestoreTarget;
import io.lifeboat.common.engine.Tree;
import io.lifeboat.common.engine.TreeNames;
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.engine.TreeWalker;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Restores a snapshot's tree, or chosen paths of it, into a directory.
 *
 * <p>Never writes outside the target: every node name is checked ({@link TreeNames#isSafe});
 * entries are created with {@code CREATE_NEW} and {@code NOFOLLOW_LINKS}, so an existing symlink is
 * never written through; before anything is created in a directory, that directory is checked to be a
 * real directory (not a symlink) lexically inside the target. Symlinks are restored as they were
 * (absolute targets too) but never traversed. An unsafe name fails the restore with
 * {@link CorruptObjectException} before anything under it is written.
 *
 * <p>Restores content, permission bits (including setuid/setgid/sticky), owners (numeric uid/gid,
 * only when running as root, else quietly skipped) and mtimes: files after their content, symlinks
 * where the platform allows, directories last and bottom-up so writing children does not disturb
 * them.
 *
 * <p>By default the target must be missing or empty; with {@code overwrite} existing files and
 * symlinks in the way are replaced (an existing directory is reused).
 *
 * <p>Parallelism: files are written by a few worker threads, with a bounded number of files
 * queued. Small single-blob files are handed to the workers in batches (at most
 * {@value #BATCH_FILES} files and {@value #BATCH_BYTES} bytes, in tree order, which is the order a
 * backup stored them), so a batch loads its blobs with {@link Repository#loadBlobs(List,
 * Repository.BlobSink)}: one read per run of neighbouring blobs in a pack instead of one per file,
 * and one hand-off between threads per batch instead of one per file. A file of several blobs is
 * laid out from the blobs' indexed lengths and its groups of neighbouring blobs (about
 * {@value #LARGE_GROUP_BYTES} bytes each) are loaded and written at their offsets by loader
 * threads, so one large file uses every core. Each blob is decoded into a buffer of the thread and
 * written before the next is decoded: no blob is held in memory past its write.
 */
public final class FileTreeTarget implements RestoreTarget {
    /** Blobs of a large file loaded and written together by one task: about this many bytes. */
    static final int LARGE_GROUP_BYTES = 4 << 20;
    private static final Set<java.nio.file.OpenOption> CREATE_OPTIONS = Set.of(StandardOpenOption.WRITE,
        StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS);
    private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /** Files of at most this size and one blob are batched. */
    static final int BATCH_FILE_MAX = 1 << 20;
    /** A batch holds at most this many files ... */
    static final int BATCH_FILES = 64;
    /** ... and this many bytes of content. */
    static final int BATCH_BYTES = 4 << 20;

    private final Path target;
    private final boolean overwrite;
    private final int threads;

    public FileTreeTarget(Path target, boolean overwrite, int threads) {
        this.target = target.toAbsolutePath().normalize();
        this.overwrite = overwrite;
        this.threads = Math.max(1, threads);
    }

    @Override
    public RestoreSummary restore(Repository repository, Snapshot snapshot, List<String> includes,
            ProgressListener progress) {
        long start = System.nanoTime();
        Path root = prepareTarget();
        List<List<String>> selection = includes.stream().map(TreeWalker::split).toList();
        Run run = new Run(repository, root, progress, selection);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lifeboat-restore");
            t.setDaemon(true);
            return t;
        });
        ExecutorService loaders = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lifeboat-load");
            t.setDaemon(true);
            return t;
        });
        run.pool = pool;
        run.loaders = loaders;
        run.maxInFlight = threads * 2;
        run.inFlight = new Semaphore(run.maxInFlight);
        run.blobPermits = new Semaphore(threads * 3);
        try {
            run.restoreTree(snapshot.root(), root, List.of());
            run.submitBatch();
            run.awaitFiles();
            for (String inc : includes) {
                if (!run.matchedIncludes.contains(TreeWalker.split(inc))) {
                    throw new EngineException("path not found in snapshot " + snapshot.id().shortHex() + ": " + inc);
                }
            }
            List<DirMeta> dirs = new ArrayList<>(run.dirs);
            Collections.reverse(dirs);
            for (DirMeta d : dirs) {
                run.applyMeta(d.path(), d.node(), true);
            }
        } finally {
            pool.shutdownNow();
            loaders.shutdownNow();
        }
        return new RestoreSummary(run.files.get(), run.dirCount.get(), run.symlinks.get(), run.bytes.get(),
            run.errors.get(), List.copyOf(run.warnings), Duration.ofNanos(System.nanoTime() - start));
    }

    private Path prepareTarget() {
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Path real = target.toRealPath();
                if (!Files.isDirectory(real)) {
                    throw new EngineException("restore target is not a directory: " + target);
                }
                if (!overwrite) {
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(real)) {
                        if (ds.iterator().hasNext()) {
                            throw new EngineException("restore target " + target
                                + " is not empty; choose an empty directory or pass --overwrite");
                        }
                    }
                }
                return real;
            }
            Files.createDirectories(target);
            return target.toRealPath();
        } catch (IOException e) {
            throw new EngineException("cannot use restore target " + target + ": " + e.getMessage(), e);
        }
    }

    private record DirMeta(Path path, TreeNode node) {
    }

    private record PendingFile(Path path, TreeNode node, String display) {
    }

    private enum Match { NONE, ANCESTOR, FULL }

    private final class Run {
        private final Repository repository;
        private final Path root;
        private final ProgressListener progress;
        private final List<List<String>> selection;
        private final boolean asRoot;
        ExecutorService pool;
        Semaphore inFlight;
        int maxInFlight;
        ExecutorService loaders;
        /** Groups of a large file's blobs queued for the loaders, across all files. */
        Semaphore blobPermits;
        final List<DirMeta> dirs = new ArrayList<>();
        final Set<List<String>> matchedIncludes = ConcurrentHashMap.newKeySet();
        final AtomicLong files = new AtomicLong();
        final AtomicLong dirCount = new AtomicLong();
        final AtomicLong symlinks = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        private final AtomicReference<Throwable> fatal = new AtomicReference<>();
        /** Small files queued by the tree walk for the next batch (walk thread only). */
        private List<PendingFile> batch = new ArrayList<>();
        private long batchBytes;

        Run(Repository repository, Path root, ProgressListener progress, List<List<String>> selection) {
            this.repository = repository;
            this.root = root;
            this.progress = progress;
            this.selection = selection;
            this.asRoot = runningAsRoot(root);
        }

        private Match match(List<String> path) {
            if (selection.isEmpty()) {
                return Match.FULL;
            }
            Match best = Match.NONE;
            for (List<String> inc : selection) {
                if (path.size() >= inc.size() && path.subList(0, inc.size()).equals(inc)) {
                    if (path.size() == inc.size()) {
                        matchedIncludes.add(inc);
                    }
                    return Match.FULL;
                }
                if (path.size() < inc.size() && inc.subList(0, path.size()).equals(path)) {
                    best = Match.ANCESTOR;
                }
            }
            return best;
        }

        void restoreTree(BlobId treeId, Path dir, List<String> relDir) {
            Tree tree = Tree.decode(repository.loadBlob(treeId));
            for (TreeNode node : tree.nodes()) {
                if (!TreeNames.isSafe(node.name())) {
                    throw new CorruptObjectException("snapshot holds an unsafe name in directory '"
                        + String.join("/", relDir) + "'; refusing to restore it");
                }
            }
            requireRealDirInside(dir);
            for (TreeNode node : tree.nodes()) {
                throwIfFailed();
                List<String> rel = new ArrayList<>(relDir);
                rel.add(node.name());
                Match m = match(rel);
                if (m == Match.NONE || (m == Match.ANCESTOR && !node.isDir())) {
                    continue;
                }
                Path p = dir.resolve(node.name());
                requireInside(p);
                String display = String.join("/", rel);
                switch (node.type()) {
                    case DIR -> {
                        if (makeDir(p, display)) {
                            dirs.add(new DirMeta(p, node));
                            dirCount.incrementAndGet();
                            restoreTree(node.subtree(), p, rel);
                        }
                    }
                    case SYMLINK -> makeSymlink(p, node, display);
                    case FILE -> queueFile(p, node, display);
                }
            }
        }

        private void throwIfFailed() {
            Throwable t = fatal.get();
            if (t != null) {
                throw EngineException.propagate(t, "restore");
            }
        }

        private void requireInside(Path p) {
            if (!p.normalize().startsWith(root) || p.normalize().equals(root)) {
                throw new CorruptObjectException("snapshot path escapes the restore target; refusing it");
            }
        }

        private void requireRealDirInside(Path dir) {
            if (!dir.normalize().startsWith(root)) {
                throw new CorruptObjectException("snapshot path escapes the restore target; refusing it");
            }
            try {
                BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isDirectory() || a.isSymbolicLink()) {
                    throw new EngineException("not a real directory, refusing to write into it: " + dir);
                }
            } catch (IOException e) {
                throw new EngineException("cannot check directory " + dir + ": " + e.getMessage(), e);
            }
        }

        /** Creates a directory, or reuses a real one when overwriting; false if the item failed. */
        private boolean makeDir(Path p, String display) {
            try {
                Files.createDirectory(p);
                return true;
            } catch (FileAlreadyExistsException e) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isDirectory() && !a.isSymbolicLink()) {
                        return true;
                    }
                    if (overwrite) {
                        Files.delete(p);
                        Files.createDirectory(p);
                        return true;
                    }
                } catch (IOException e2) {
                    error("cannot create directory " + display + ": " + e2.getMessage());
                    return false;
                }
                error("cannot create directory " + display + ": something else exists there");
                return false;
            } catch (IOException e) {
                error("cannot create directory " + display + ": " + e.getMessage());
                return false;
            }
        }

        private void makeSymlink(Path p, TreeNode node, String display) {
            try {
                clearForOverwrite(p);
                Files.createSymbolicLink(p, Path.of(node.linkTarget()));
                symlinks.incrementAndGet();
                applyMeta(p, node, false);
                progress.itemDone(display, 0, true);
            } catch (IOException | java.nio.file.InvalidPathException e) {
                error("cannot create symlink " + display + ": " + e.getMessage());
            }
        }

        private void clearForOverwrite(Path p) throws IOException {
            if (overwrite && Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(p);
            }
        }

        /** Batches a small single-blob file, or hands a larger one to a worker on its own. */
        private void queueFile(Path p, TreeNode node, String display) {
            if (node.content().size() > 1 || node.size() > BATCH_FILE_MAX) {
                PendingFile f = new PendingFile(p, node, display);
                submit(() -> writeLarge(f));
                return;
            }
            batch.add(new PendingFile(p, node, display));
            batchBytes += node.size();
            if (batch.size() >= BATCH_FILES || batchBytes >= BATCH_BYTES) {
                submitBatch();
            }
        }

        /** Hands the queued small files to a worker, which loads their blobs together. */
        void submitBatch() {
            if (batch.isEmpty()) {
                return;
            }
            List<PendingFile> files = batch;
            batch = new ArrayList<>();
            batchBytes = 0;
            submit(() -> writeBatch(files));
        }

        private void submit(Runnable work) {
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("restore interrupted");
            }
            try {
                pool.execute(() -> {
                    try {
                        work.run();
                    } catch (Throwable t) {
                        fatal.compareAndSet(null, t);
                    } finally {
                        inFlight.release();
                    }
                });
            } catch (RuntimeException e) {
                inFlight.release();
                throw e;
            }
        }

        private void writeBatch(List<PendingFile> files) {
            if (fatal.get() != null) {
                return;
            }
            List<BlobId> ids = new ArrayList<>(files.size());
            List<PendingFile> withContent = new ArrayList<>(files.size());
            for (PendingFile f : files) {
                if (f.node().content().isEmpty()) {
                    writeWhole(f, null, 0, 0);
                } else {
                    ids.add(f.node().content().get(0));
                    withContent.add(f);
                }
            }
            if (!ids.isEmpty()) {
                repository.loadBlobs(ids, (i, data, off, len) -> writeWhole(withContent.get(i), data, off, len));
            }
        }

        /** Writes a file of at most one blob, {@code data[off, off + len)}, whole. */
        private void writeWhole(PendingFile f, byte[] data, int off, int len) {
            if (fatal.get() != null) {
                return;
            }
            progress.itemStarted(f.display());
            try (FileChannel ch = create(f.path())) {
                if (data != null) {
                    write(ch, data, off, len, -1);
                }
            } catch (IOException e) {
                error("cannot write " + f.display() + ": " + e.getMessage());
                return;
            }
            finish(f);
        }

        /**
         * Writes a file of several blobs. The blobs are placed by their lengths from the index and
         * written at their offsets by the loader threads, a few neighbouring blobs per task (one
         * range read each), so one large file also uses every core and no blob is held in memory
         * past its write; this thread takes the last group itself.
         */
        private void writeLarge(PendingFile f) {
            if (fatal.get() != null) {
                return;
            }
            List<BlobId> content = f.node().content();
            if (content.size() == 1) {
                repository.loadBlobs(content, (i, data, off, len) -> writeWhole(f, data, off, len));
                return;
            }
            progress.itemStarted(f.display());
            long[] offsets = new long[content.size()];
            long at = 0;
            for (int i = 0; i < content.size(); i++) {
                offsets[i] = at;
                at += repository.blobLength(content.get(i));
            }
            AtomicReference<IOException> failed = new AtomicReference<>();
            try (FileChannel ch = create(f.path())) {
                List<java.util.concurrent.Future<?>> tasks = new ArrayList<>();
                int from = 0;
                try {
                    while (from < content.size()) {
                        int to = from + 1;
                        while (to < content.size() && offsets[to] - offsets[from] < LARGE_GROUP_BYTES) {
                            to++;
                        }
                        int groupFrom = from;
                        List<BlobId> group = content.subList(from, to);
                        Runnable load = () -> writeGroup(ch, group, offsets, groupFrom, failed);
                        if (to == content.size()) {
                            load.run();
                        } else {
                            acquire(blobPermits);
                            try {
                                tasks.add(loaders.submit(() -> {
                                    try {
                                        load.run();
                                    } finally {
                                        blobPermits.release();
                                    }
                                }));
                            } catch (RuntimeException e) {
                                blobPermits.release();
                                throw e;
                            }
                        }
                        from = to;
                    }
                } finally {
                    awaitAll(tasks);
                }
                if (failed.get() != null) {
                    throw failed.get();
                }
            } catch (IOException e) {
                error("cannot write " + f.display() + ": " + e.getMessage());
                return;
            }
            finish(f);
        }

        /** Loads blobs {@code group} of a file and writes each at its offset; keeps the first write failure. */
        private void writeGroup(FileChannel ch, List<BlobId> group, long[] offsets, int first, AtomicReference<IOException> failed) {
            if (fatal.get() != null || failed.get() != null) {
                return;
            }
            repository.loadBlobs(group, (i, data, off, len) -> {
                if (failed.get() == null) {
                    try {
                        write(ch, data, off, len, offsets[first + i]);
                    } catch (IOException e) {
                        failed.compareAndSet(null, e);
                    }
                }
            });
        }

        /**
         * Waits for every task, even after one failed (the others then return early), so none
         * still writes to the file once it is closed; rethrows the first failure.
         */
        private void awaitAll(List<java.util.concurrent.Future<?>> tasks) {
            Throwable first = null;
            for (java.util.concurrent.Future<?> t : tasks) {
                try {
                    t.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EngineException("restore interrupted");
                } catch (java.util.concurrent.ExecutionException e) {
                    if (first == null) {
                        first = e.getCause();
                        fatal.compareAndSet(null, first);
                    }
                }
            }
            if (first != null) {
                throw EngineException.propagate(first, "loading a blob");
            }
        }

        private FileChannel create(Path p) throws IOException {
            clearForOverwrite(p);
            return FileChannel.open(p, CREATE_OPTIONS, OWNER_ONLY);
        }

        /** After a file's content: its owner, mode and time, and the counters. */
        private void finish(PendingFile f) {
            applyMeta(f.path(), f.node(), false);
            files.incrementAndGet();
            progress.itemDone(f.display(), f.node().size(), true);
        }

        private void acquire(Semaphore s) {
            try {
                s.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("restore interrupted");
            }
        }

        /**
         * Writes {@code data[off, off + len)} at {@code position} (-1: at the channel's position) in
         * slices of at most 1 MiB, so no large temporary direct buffer stays pinned per thread.
         */
        private void write(FileChannel ch, byte[] data, int off, int len, long position) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(data, off, len);
            int end = off + len;
            long pos = position;
            while (buf.hasRemaining()) {
                buf.limit(Math.min(end, buf.position() + (1 << 20)));
                int n = pos < 0 ? ch.write(buf) : ch.write(buf, pos);
                if (pos >= 0) {
                    pos += n;
                }
                buf.limit(end);
            }
            bytes.addAndGet(len);
            progress.bytesProcessed(len);
        }

        /** Waits until every submitted file is written: each holds a permit until it is done. */
        void awaitFiles() {
            try {
                inFlight.acquire(maxInFlight);
                inFlight.release(maxInFlight);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("restore interrupted");
            }
            throwIfFailed();
        }

        void applyMeta(Path p, TreeNode node, boolean isDir) {
            if (asRoot && node.uid() >= 0 && node.gid() >= 0) {
                try {
                    Files.setAttribute(p, "unix:uid", (int) node.uid(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(p, "unix:gid", (int) node.gid(), LinkOption.NOFOLLOW_LINKS);
                } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                    warn("cannot set owner of " + root.relativize(p) + ": " + e.getMessage());
                }
            }
            if (!node.isSymlink()) {
                try {
                    Files.setAttribute(p, "unix:mode", node.mode(), LinkOption.NOFOLLOW_LINKS);
                } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                    warn("cannot set permissions of " + root.relativize(p) + ": " + e.getMessage());
                }
            }
            try {
                FileTime mtime = FileTime.from(node.mtimeNs(), TimeUnit.NANOSECONDS);
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(mtime, null, null);
            } catch (IOException | UnsupportedOperationException e) {
                if (!node.isSymlink()) {
                    warn("cannot set time of " + root.relativize(p) + ": " + e.getMessage());
                }
            }
        }

        private void error(String message) {
            errors.incrementAndGet();
            progress.error(message);
        }

        private void warn(String message) {
            if (warnings.size() < 1000) {
                warnings.add(message);
            }
            progress.warning(message);
        }
    }

    /** True when this process may chown files: probes the owner of a fresh temp file. */
    private static boolean runningAsRoot(Path dir) {
        Path probe = null;
        try {
            probe = Files.createTempFile(dir, ".lifeboat-probe", null);
            return ((Integer) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // A leftover probe file is harmless and visible.
                }
            }
        }
    }

}
