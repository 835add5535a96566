package io.lifeboat.common.engine.postgres.physical;

import io.lifeboat.common.engine.EngineException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Extracts the tar stream of {@code pg_basebackup -Ft} into a new, empty data directory, in process (no
 * {@code tar -x} child and no pipe), as the stream is fed to it in pieces of any size.
 *
 * <p>Accepted: ustar (and GNU {@code ustar  }) headers with a valid checksum, octal or base-256 sizes,
 * regular files ({@code 0}, NUL, {@code 7}), directories ({@code 5}) and symbolic links ({@code 2}); the
 * archive must end with its end-of-archive block (anything after it is ignored, as {@code tar} does).
 * Refused, failing the extraction: every other entry type (hard links, devices, FIFOs, pax and GNU
 * long-name headers, sparse files), absolute names, any {@code ..} component, a name whose parent is
 * not a directory this extraction made (so nothing is ever written beneath a symbolic link), a name
 * that already exists (the directory starts empty), sizes over {@link #MAX_SIZE}, a directory or link
 * with content, and a stream that ends early.
 *
 * <p>Modes: the header's permission bits ({@code & 0777}, never set-id bits); directories get theirs
 * at {@link #finish}, so a read-only directory can still be filled. Times: each file's and
 * directory's modification time. Owner: when an owner is given, every entry is given to it
 * ({@code lchown}); otherwise entries belong to the extracting process. Durability is the caller's:
 * nothing here is fsynced (the restore flushes the whole file system once with {@code syncfs}).
 *
 * <p>Writing: with {@code writers} = 0 the feeding thread creates and writes every file; otherwise
 * that many writer threads do (each file up to {@link #SMALL} whole on one of them, larger ones in
 * positioned slices on all), with at most {@link #IN_FLIGHT_KIB} KiB waiting. Files of at least
 * {@link #EARLY_FLUSH} bytes are {@code fdatasync}ed by a background thread once complete, so their
 * writeback overlaps the rest of the extraction. A writer's failure is reported by the next
 * {@link #feed} or by {@link #finish}.
 *
 * <p>Not thread-safe: one thread feeds one instance.
 */
final class BaseTarExtractor implements AutoCloseable {
    /** The largest member accepted: far above PostgreSQL's largest segment file (1 GiB by default). */
    static final long MAX_SIZE = 1L << 40;

    private enum Kind { DIR, FILE, LINK }

    /**
     * One regular file being written. Small files are opened, written and closed by one lane in one task;
     * larger ones are opened by the feeding thread and written in slices by any lane at their positions,
     * the last holder closing it.
     */
    private final class Out {
        final Path path;
        final Set<PosixFilePermission> perms;
        final FileTime mtime;
        final long size;
        final List<ByteBuffer> slices = new ArrayList<>();
        final AtomicInteger holders = new AtomicInteger(1);
        FileChannel channel;

        Out(Path path, Set<PosixFilePermission> perms, FileTime mtime, long size) {
            this.path = path;
            this.perms = perms;
            this.mtime = mtime;
            this.size = size;
        }

        void open() throws IOException {
            try {
                channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(perms));
            } catch (FileAlreadyExistsException e) {
                throw fail("member " + root.relativize(path) + " already exists");
            }
            BaseTarExtractor.this.open.add(this);
            // The umask may have narrowed the mode; the header's is the one PostgreSQL expects.
            Files.setPosixFilePermissions(path, perms);
            giveAway(path);
        }

        void write(ByteBuffer buf, long position) throws IOException {
            while (buf.hasRemaining()) {
                position += channel.write(buf, position);
            }
        }

        void release() throws IOException {
            if (holders.decrementAndGet() != 0) {
                return;
            }
            if (flusher != null && size >= EARLY_FLUSH) {
                flusher.execute(() -> {
                    try {
                        if (failure.get() == null) {
                            channel.force(false);
                        }
                        done();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
            } else {
                done();
            }
        }

        private void done() throws IOException {
            BaseTarExtractor.this.open.remove(this);
            channel.close();
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(mtime, null, null);
        }
    }

    private interface IoTask {
        void run() throws IOException;
    }

    private record DirMeta(Path path, Set<PosixFilePermission> perms, FileTime mtime) {
    }

    private final Path root;
    private final UserPrincipal owner;
    private final GroupPrincipal group;
    private final byte[] header = new byte[512];
    private int headerFill;
    private long contentLeft;
    private long padLeft;
    private boolean ended;
    private Out out;
    private String outName;
    private long outPosition;
    private int pendingPermits;
    private final ExecutorService[] lanes;
    private final ExecutorService flusher;
    private int nextLane;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_KIB);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Set<Out> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Kind> made = new HashMap<>();
    private final Map<String, DirMeta> dirs = new LinkedHashMap<>();
    private long files;
    private long bytes;

    /**
     * @param root the directory to extract into: it must exist, be empty, and be reachable by no other user
     *     while the extraction runs (the restore makes it mode 0700 and its own)
     * @param owner the user to give every entry to, or null to leave them to the extracting process
     * @param group the group to give every entry to, or null
     */
    BaseTarExtractor(Path root, UserPrincipal owner, GroupPrincipal group, int writers) {
        this.root = root;
        this.owner = owner;
        this.group = group;
        this.lanes = new ExecutorService[writers];
        for (int k = 0; k < writers; k++) {
            lanes[k] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "lifeboat-restore-write");
                t.setDaemon(true);
                return t;
            });
        }
        this.flusher = EARLY_FLUSH > 0 ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lifeboat-restore-flush");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** Regular files written so far. */
    long files() {
        return files;
    }

    /** Content bytes written so far. */
    long bytes() {
        return bytes;
    }

    /** Extracts the next piece of the stream. */
    void feed(byte[] b, int off, int len) throws IOException {
        int i = off;
        int end = off + len;
        while (i < end && !ended) {
            if (contentLeft > 0) {
                int n = (int) Math.min(contentLeft, end - i);
                write(b, i, n);
                contentLeft -= n;
                i += n;
                if (contentLeft == 0) {
                    closeFile();
                }
            } else if (padLeft > 0) {
                int n = (int) Math.min(padLeft, end - i);
                padLeft -= n;
                i += n;
            } else {
                int n = Math.min(512 - headerFill, end - i);
                System.arraycopy(b, i, header, headerFill, n);
                headerFill += n;
                i += n;
                if (headerFill == 512) {
                    headerFill = 0;
                    entry();
                }
            }
        }
    }

    /**
     * Checks the archive ended where it should, then applies the directories' modes and times.
     *
     * @throws EngineException when the stream ended before its end-of-archive block
     */
    void finish() throws IOException {
        if (!ended) {
            throw fail(contentLeft > 0 ? "the stream ends inside " + outName + " (" + contentLeft + " bytes missing): truncated"
                : "the stream ends without the end-of-archive block: truncated");
        }
        for (ExecutorService lane : lanes) {
            lane.shutdown();
        }
        for (ExecutorService lane : lanes) {
            try {
                while (!lane.awaitTermination(1, TimeUnit.MINUTES)) {
                    // A write of a large file may take long on a slow disk; keep waiting.
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing the base backup");
            }
        }
        if (flusher != null) {
            flusher.shutdown();
            try {
                while (!flusher.awaitTermination(1, TimeUnit.MINUTES)) {
                    // Flushing a large file may take long on a slow disk; keep waiting.
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing the base backup");
            }
        }
        rethrow();
        List<DirMeta> all = new ArrayList<>(dirs.values());
        for (int k = all.size() - 1; k >= 0; k--) {
            DirMeta d = all.get(k);
            Files.setPosixFilePermissions(d.path(), d.perms());
            Files.getFileAttributeView(d.path(), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(d.mtime(), null, null);
        }
    }

    /** Stops the writers (after a failure: without waiting for what is queued) and closes every file left open. */
    @Override
    public void close() throws IOException {
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
        }
        for (ExecutorService lane : lanes) {
            try {
                lane.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (flusher != null) {
            flusher.shutdownNow();
            try {
                flusher.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Out o : open) {
            o.channel.close();
        }
        open.clear();
    }

    /** Files up to this size are written whole by one lane; larger ones in slices by every lane. */
    static final long SMALL = 1 << 20;
    /**
     * Files at least this large are flushed ({@code fdatasync}) by a background thread once written, so
     * their writeback overlaps the rest of the extraction instead of all waiting for the final syncfs;
     * 0 turns it off (system property {@code lifeboat.restore.early-flush-mib}).
     */
    static final long EARLY_FLUSH = Long.getLong("lifeboat.restore.early-flush-mib", 8) << 20;
    /** Content handed to the writers and not yet written, in KiB: bounds the memory the blobs they hold take. */
    static final int IN_FLIGHT_KIB = 16 * 1024;

    private void write(byte[] b, int off, int n) throws IOException {
        rethrow();
        ByteBuffer slice = ByteBuffer.wrap(b, off, n);
        int permits = Math.min(IN_FLIGHT_KIB, (n + 1023) / 1024);
        if (lanes.length > 0) {
            try {
                inFlight.acquire(permits);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing the base backup");
            }
        }
        Out o = out;
        o.holders.incrementAndGet();
        if (o.size <= SMALL) {
            // Queued whole with the file's last slice; the permits stay held until then.
            o.slices.add(slice);
            pendingPermits += permits;
        } else {
            long position = outPosition;
            dispatch(() -> {
                try {
                    o.write(slice, position);
                } finally {
                    o.release();
                }
            }, permits);
        }
        outPosition += n;
        bytes += n;
    }

    /** Called when the current file's content is complete. */
    private void closeFile() throws IOException {
        Out o = out;
        out = null;
        if (o.size <= SMALL) {
            int held = pendingPermits;
            pendingPermits = 0;
            dispatch(() -> {
                o.open();
                long position = 0;
                for (ByteBuffer slice : o.slices) {
                    int n = slice.remaining();
                    o.write(slice, position);
                    position += n;
                    o.release();
                }
                o.slices.clear();
                o.release();
            }, held);
        } else {
            o.release();
        }
    }

    /** Runs the task on the next lane (or here, without lanes); a failure is kept for {@link #rethrow}. */
    private void dispatch(IoTask task, int permits) throws IOException {
        if (lanes.length == 0) {
            task.run();
            return;
        }
        ExecutorService lane = lanes[nextLane];
        nextLane = (nextLane + 1) % lanes.length;
        try {
            lane.execute(() -> {
                try {
                    if (failure.get() == null) {
                        task.run();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    inFlight.release(permits);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.release(permits);
            throw new InterruptedIOException("the writers were stopped");
        }
    }

    private void rethrow() throws IOException {
        Throwable t = failure.get();
        if (t == null) {
            return;
        }
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IOException(t);
    }

    private void entry() throws IOException {
        if (UstarFields.isZero(header)) {
            ended = true;
            return;
        }
        if (!UstarFields.checksumOk(header, true)) {
            throw fail("a header's checksum does not match: the stream is corrupt");
        }
        if (!(header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r')) {
            throw fail("a header is not in ustar format");
        }
        String name = name();
        long size = size();
        if (size < 0 || size > MAX_SIZE) {
            throw fail("member " + name + " has an invalid or oversized size");
        }
        int mode = (int) octal(100, 8);
        if (mode < 0) {
            throw fail("member " + name + " has an invalid mode");
        }
        long mtimeSeconds = octal(136, 12);
        FileTime mtime = FileTime.fromMillis(Math.max(0, mtimeSeconds) * 1000);
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString(permString(mode & 0777));
        byte type = header[156];
        String rel = confine(name);
        switch (type) {
            case '0', 0, '7' -> file(rel, name, size, perms, mtime);
            case '5' -> dir(rel, name, size, perms, mtime);
            case '2' -> link(rel, name, size);
            default -> throw fail("member " + name + " has entry type '" + printable(type) + "', which a base backup never holds");
        }
    }

    private void file(String rel, String name, long size, Set<PosixFilePermission> perms, FileTime mtime) throws IOException {
        if (rel.isEmpty()) {
            throw fail("member " + name + " names the data directory itself as a file");
        }
        Path p = create(rel, name, Kind.FILE);
        Out o = new Out(p, perms, mtime, size);
        if (size > SMALL) {
            o.open();
        }
        out = o;
        outName = name;
        outPosition = 0;
        files++;
        contentLeft = size;
        padLeft = (512 - size % 512) % 512;
        if (size == 0) {
            closeFile();
        }
    }

    private void dir(String rel, String name, long size, Set<PosixFilePermission> perms, FileTime mtime) throws IOException {
        if (size != 0) {
            throw fail("directory " + name + " has content");
        }
        if (rel.isEmpty()) {
            return;
        }
        Kind k = made.get(rel);
        if (k == Kind.DIR) {
            dirs.put(rel, new DirMeta(root.resolve(rel), perms, mtime));
            return;
        }
        Path p = create(rel, name, Kind.DIR);
        mkdir(p, name);
        dirs.put(rel, new DirMeta(p, perms, mtime));
    }

    private void link(String rel, String name, long size) throws IOException {
        if (size != 0) {
            throw fail("symbolic link " + name + " has content");
        }
        if (rel.isEmpty()) {
            throw fail("member " + name + " names the data directory itself as a link");
        }
        String target = field(157, 100);
        if (target.isEmpty()) {
            throw fail("symbolic link " + name + " has no target");
        }
        Path p = create(rel, name, Kind.LINK);
        try {
            Files.createSymbolicLink(p, Path.of(target));
        } catch (FileAlreadyExistsException e) {
            throw fail("member " + name + " already exists");
        }
        giveAway(p);
    }

    /** Registers a new entry after checking (and making, as tar does) its parents; returns its path. */
    private Path create(String rel, String name, Kind kind) throws IOException {
        if (made.containsKey(rel)) {
            throw fail("member " + name + " appears twice");
        }
        int slash = -1;
        while ((slash = rel.indexOf('/', slash + 1)) >= 0) {
            String parent = rel.substring(0, slash);
            Kind k = made.get(parent);
            if (k == null) {
                Path p = root.resolve(parent);
                mkdir(p, name);
                made.put(parent, Kind.DIR);
                dirs.put(parent, new DirMeta(p, PosixFilePermissions.fromString("rwx------"), FileTime.fromMillis(System.currentTimeMillis())));
            } else if (k != Kind.DIR) {
                throw fail("member " + name + " lies beneath " + parent + ", which is not a directory");
            }
        }
        made.put(rel, kind);
        return root.resolve(rel);
    }

    private void mkdir(Path p, String name) throws IOException {
        try {
            Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            throw fail("member " + name + " already exists");
        }
        giveAway(p);
    }

    private void giveAway(Path p) throws IOException {
        if (owner == null && group == null) {
            return;
        }
        PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (owner != null) {
            v.setOwner(owner);
        }
        if (group != null) {
            v.setGroup(group);
        }
    }

    /**
     * The member's path relative to the root, normalised ({@code .} and empty components dropped), or
     * "" for the root itself.
     */
    String confine(String name) {
        if (name.startsWith("/")) {
            throw fail("member " + name + " has an absolute name");
        }
        StringBuilder rel = new StringBuilder();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw fail("member " + name + " climbs out of the data directory (..)");
            }
            if (!rel.isEmpty()) {
                rel.append('/');
            }
            rel.append(c);
        }
        return rel.toString();
    }

    private String name() {
        String name = field(0, 100);
        String prefix = field(345, 155);
        String full = prefix.isEmpty() ? name : prefix + "/" + name;
        if (full.isEmpty()) {
            throw fail("a member has an empty name");
        }
        return full;
    }

    private long size() {
        return UstarFields.size(header);
    }

    private long octal(int off, int len) {
        return UstarFields.octal(header, off, len);
    }

    private String field(int off, int len) {
        int n = 0;
        while (n < len && header[off + n] != 0) {
            n++;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(header, off, n)).toString();
        } catch (CharacterCodingException e) {
            throw fail("a member's name or link target is not valid UTF-8");
        }
    }

    private static String permString(int mode) {
        char[] c = "rwxrwxrwx".toCharArray();
        for (int k = 0; k < 9; k++) {
            if ((mode & (1 << (8 - k))) == 0) {
                c[k] = '-';
            }
        }
        return new String(c);
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7F ? Character.toString((char) b) : String.format("\\x%02x", b & 0xFF);
    }

    private static EngineException fail(String why) {
        return new EngineException("cannot extract the base backup: " + why);
    }
}
