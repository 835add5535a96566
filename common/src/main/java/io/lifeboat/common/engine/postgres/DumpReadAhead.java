package io.lifeboat.common.engine.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Drains pg_dump's standard output on a thread of its own into blocks of {@value #BLOCK} bytes, held
 * in a bounded queue until the repository side takes them ({@link #stream}), while a second thread
 * scans the same blocks ({@link PgCustomArchiveScanner}) for the tables' counts and checksums.
 *
 * <p>Why: the dump can start before the repository is open (the key derivation) and keep running
 * while the chunker or a saver is busy; pg_dump only waits when {@code maxBlocks} blocks
 * ({@code maxBlocks × 256 KiB} of memory, plus the few being worked on) are unread. The scanner gets
 * the very arrays the stream hands out (no copy): a block is never written once handed over.
 *
 * <p>The scan never slows or fails the stream beyond its own queue of {@value #SCAN_BLOCKS} blocks:
 * once it has failed, blocks are no longer offered to it. A read error of the pipe is thrown by the
 * stream after the blocks read before it. Close it whatever happens: that stops both threads (a
 * reader blocked on a full queue included) and drops what is queued; it does not close {@code in}
 * (the process owns it).
 *
 * <p>Threading: {@link #stream} is for one consumer thread; {@link #result} and {@link #close} may
 * be called from any thread.
 */
final class DumpReadAhead implements AutoCloseable {
    static final int BLOCK = 256 * 1024;
    static final int SCAN_BLOCKS = 16;
    /** A pipe read is at most this long: larger reads make the JDK allocate a native buffer per call. */
    private static final int READ_SLICE = 64 * 1024;
    private static final byte[] END = new byte[0];

    private final InputStream in;
    private final BlockingQueue<byte[]> toStore;
    private final BlockingQueue<byte[]> toScan = new ArrayBlockingQueue<>(SCAN_BLOCKS + 1);
    private final CompletableFuture<PgCustomArchiveScanner.Result> scan = new CompletableFuture<>();
    private final Thread reader;
    private final Thread scanner;
    private final Stream stream = new Stream();
    private volatile IOException readError;
    private volatile boolean closed;

    /**
     * Starts both threads.
     *
     * @param maxBlocks blocks read but not yet taken by the stream's consumer (at least 1)
     */
    DumpReadAhead(InputStream in, int maxBlocks) {
        this.in = in;
        this.toStore = new ArrayBlockingQueue<>(Math.max(1, maxBlocks) + 1);
        this.scanner = new Thread(this::scan, "lifeboat-pg-archive-scan");
        this.scanner.setDaemon(true);
        this.scanner.start();
        this.reader = new Thread(this::read, "lifeboat-pg-dump-read");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** The dump's bytes, unchanged, in order; ends (or throws the pipe's read error) after the last one. */
    InputStream stream() {
        return stream;
    }

    /** Waits for the scan of everything the stream handed out; call after the stream has ended. */
    PgCustomArchiveScanner.Result result() throws IOException {
        try {
            return scan.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while scanning the archive");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new PgCustomArchiveScanner.MalformedArchiveException("archive scan failed: " + e.getCause());
        }
    }

    /** Stops both threads and drops what is queued; the scan, if not done, fails. */
    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        scanner.interrupt();
        scan.completeExceptionally(new PgCustomArchiveScanner.MalformedArchiveException("the dump was not read to its end"));
        toStore.clear();
        toScan.clear();
    }

    private void read() {
        byte[] block = new byte[BLOCK];
        int length = 0;
        try {
            while (!closed) {
                int n = in.read(block, length, Math.min(READ_SLICE, BLOCK - length));
                if (n < 0) {
                    break;
                }
                length += n;
                if (length == BLOCK) {
                    hand(block);
                    block = new byte[BLOCK];
                    length = 0;
                }
            }
            if (length > 0) {
                hand(Arrays.copyOf(block, length));
            }
        } catch (IOException e) {
            readError = closed ? null : e;
            if (length > 0 && !closed) {
                handQuietly(Arrays.copyOf(block, length));
            }
        } catch (InterruptedException e) {
            return; // closed
        }
        handQuietly(END);
    }

    private void handQuietly(byte[] b) {
        try {
            hand(b);
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Hands a block to the scanner (unless it is done) and to the stream; waits while either queue is full. */
    private void hand(byte[] b) throws InterruptedException {
        while (!closed && !scan.isDone() && !toScan.offer(b, 100, TimeUnit.MILLISECONDS)) {
            // the scanner is behind; wait unless it has given up
        }
        if (!closed) {
            toStore.put(b);
        }
    }

    private void scan() {
        try {
            scan.complete(PgCustomArchiveScanner.scan(() -> {
                byte[] b;
                do {
                    try {
                        b = toScan.take();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException("the archive scan was stopped");
                    }
                } while (b.length == 0 && b != END);
                return b == END ? null : b;
            }));
        } catch (Throwable e) {
            // Whatever the failure (even an Error), the result must complete so that nobody waits on it.
            scan.completeExceptionally(e);
        }
    }

    /** The consumer's view of the queued blocks. */
    private final class Stream extends InputStream {
        private byte[] current = new byte[0];
        private int pos;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            while (current != END && pos == current.length) {
                if (closed) {
                    throw new IOException("the dump's read-ahead was closed");
                }
                try {
                    current = toStore.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the dump");
                }
                pos = 0;
            }
            if (current == END) {
                IOException e = readError;
                if (e != null) {
                    throw e;
                }
                return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
