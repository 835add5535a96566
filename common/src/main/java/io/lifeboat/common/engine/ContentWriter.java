package io.lifeboat.common.engine;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.BlobType;
import io.lifeboat.common.repository.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Chunks streams and stores every chunk as a DATA blob. The calling thread reads and chunks; a
 * small pool of saver threads hashes, compresses, encrypts and stores the chunks (the repository
 * does that work in the thread that calls {@code saveBlob}), so even one large file or stream
 * uses several cores. At most {@code maxChunksInFlight} chunks wait or are being saved at once,
 * shared by every caller, which bounds memory to that many chunks plus one per reading thread.
 *
 * <p>Threading: safe for many threads at once; each call keeps its own state. Close it to stop
 * the savers.
 */
public final class ContentWriter implements AutoCloseable {
    private final Repository repository;
    private final Chunker chunker;
    private final BackupCounters counters;
    private final ExecutorService savers;
    private final Semaphore inFlight;

    /**
     * @param saverThreads threads that hash and store chunks; 0 stores in the calling thread
     * @param maxChunksInFlight chunks read but not yet stored, across all callers
     */
    public ContentWriter(Repository repository, Chunker chunker, BackupCounters counters, int saverThreads,
            int maxChunksInFlight) {
        this.repository = repository;
        this.chunker = chunker;
        this.counters = counters;
        this.savers = saverThreads <= 0 ? null : Executors.newFixedThreadPool(saverThreads, r -> {
            Thread t = new Thread(r, "lifeboat-save");
            t.setDaemon(true);
            return t;
        });
        this.inFlight = new Semaphore(Math.max(1, maxChunksInFlight));
    }

    /** A writer that stores chunks in the calling thread. */
    public ContentWriter(Repository repository, Chunker chunker, BackupCounters counters) {
        this(repository, chunker, counters, 0, 1);
    }

    /** The result of storing one stream: its blobs in order and its length. */
    public record Stored(List<BlobId> content, long size) {
    }

    /**
     * Reads {@code in} to its end and stores its chunks; returns once every chunk is stored.
     *
     * @param progress told about every chunk's bytes once it is stored
     * @throws IOException from the stream
     */
    public Stored write(InputStream in, ProgressListener progress) throws IOException {
        if (savers == null) {
            List<BlobId> ids = new ArrayList<>();
            long[] size = {0};
            chunker.split(in, chunk -> {
                ids.add(save(chunk, progress));
                size[0] += chunk.length;
            });
            return new Stored(ids, size[0]);
        }
        List<Future<BlobId>> futures = new ArrayList<>();
        long[] size = {0};
        try {
            chunker.split(in, chunk -> {
                try {
                    inFlight.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting to store a chunk");
                }
                try {
                    futures.add(savers.submit(() -> {
                        try {
                            return save(chunk, progress);
                        } finally {
                            inFlight.release();
                        }
                    }));
                } catch (RuntimeException e) {
                    inFlight.release();
                    throw e;
                }
                size[0] += chunk.length;
            });
        } finally {
            awaitAll(futures);
        }
        List<BlobId> ids = new ArrayList<>(futures.size());
        for (Future<BlobId> f : futures) {
            ids.add(result(f));
        }
        return new Stored(ids, size[0]);
    }

    /**
     * Stores content already in memory that is known to be one chunk (at most the chunker's
     * minimum size, so every chunker cuts it as one piece), in the calling thread: a small file
     * is not worth a hand-off to a saver, and the array becomes the chunk without a copy.
     *
     * @param content owned by this call from now on; empty content stores no chunk
     */
    public Stored writeWhole(byte[] content, ProgressListener progress) {
        if (content.length > chunker.params().minSize()) {
            throw new IllegalArgumentException("content of " + content.length
                + " bytes may be more than one chunk; stream it with write()");
        }
        if (content.length == 0) {
            return new Stored(List.of(), 0);
        }
        return new Stored(List.of(save(content, progress)), content.length);
    }

    /** The chunker's minimum chunk size: content up to this size is always one chunk. */
    public int singleChunkLimit() {
        return chunker.params().minSize();
    }

    private BlobId save(byte[] chunk, ProgressListener progress) {
        BlobId id = repository.blobId(chunk, 0, chunk.length);
        boolean added = repository.saveBlob(BlobType.DATA, id, chunk, 0, chunk.length);
        counters.blobSaved(added, chunk.length);
        counters.bytesRead.addAndGet(chunk.length);
        progress.bytesProcessed(chunk.length);
        return id;
    }

    /** Waits for every task, so no saver still touches a failed call's chunks after it returns. */
    private static void awaitAll(List<Future<BlobId>> futures) {
        boolean interrupted = false;
        for (Future<BlobId> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static BlobId result(Future<BlobId> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while storing a chunk");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw EngineException.propagate(c, "storing a chunk");
        }
    }

    /** Stores a tree and returns its blob id. */
    public BlobId saveTree(Tree tree) {
        byte[] json = tree.encode();
        BlobId id = repository.blobId(json, 0, json.length);
        counters.blobSaved(repository.saveBlob(BlobType.TREE, id, json, 0, json.length), json.length);
        return id;
    }

    @Override
    public void close() {
        if (savers != null) {
            savers.shutdownNow();
        }
    }
}
