package io.lifeboat.common.engine;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.BlobType;
import io.lifeboat.common.repository.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Chunks a stream and stores every chunk as a DATA blob in the calling thread (where the repository
 * hashes, compresses and encrypts it), so memory stays at one chunk plus the chunker's buffer per
 * calling thread. Shared by every source that stores byte streams.
 *
 * <p>Threading: safe for many threads at once; each call keeps its own state.
 */
public final class ContentWriter {
    private final Repository repository;
    private final Chunker chunker;
    private final BackupCounters counters;

    public ContentWriter(Repository repository, Chunker chunker, BackupCounters counters) {
        this.repository = repository;
        this.chunker = chunker;
        this.counters = counters;
    }

    /** The result of storing one stream: its blobs in order and its length. */
    public record Stored(List<BlobId> content, long size) {
    }

    /**
     * Reads {@code in} to its end and stores its chunks.
     *
     * @param progress told about every chunk's bytes as they are read
     */
    public Stored write(InputStream in, ProgressListener progress) throws IOException {
        List<BlobId> ids = new ArrayList<>();
        long[] size = {0};
        chunker.split(in, chunk -> {
            BlobId id = repository.blobId(chunk, 0, chunk.length);
            boolean added = repository.saveBlob(BlobType.DATA, id, chunk, 0, chunk.length);
            counters.blobSaved(added, chunk.length);
            counters.bytesRead.addAndGet(chunk.length);
            progress.bytesProcessed(chunk.length);
            ids.add(id);
            size[0] += chunk.length;
        });
        return new Stored(ids, size[0]);
    }

    /** Stores a tree and returns its blob id. */
    public BlobId saveTree(Tree tree) {
        byte[] json = tree.encode();
        BlobId id = repository.blobId(json, 0, json.length);
        counters.blobSaved(repository.saveBlob(BlobType.TREE, id, json, 0, json.length), json.length);
        return id;
    }
}
