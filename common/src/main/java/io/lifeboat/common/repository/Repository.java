package io.lifeboat.common.repository;

import io.lifeboat.common.chunk.ChunkerParams;
import java.util.List;
import java.util.Optional;

/**
 * An open repository: the facade engines use to store and load blobs and to commit snapshots.
 * Implementations hide packs, indexes, encryption and compression.
 *
 * <p>Threading: {@link #blobId}, {@link #contains}, {@link #saveBlob} and {@link #loadBlob} are
 * safe to call from many threads at once, and that is how a backup uses every core: each worker
 * thread hashes, compresses and encrypts its own chunks; full packs upload in the background.
 *
 * <p>Crash safety: blobs become visible to other processes only once their pack and an index
 * naming it are written; a snapshot becomes visible only when {@link #commitSnapshot} writes its
 * manifest, last. A run that dies earlier leaves packs that the next run's dedup can reuse once
 * their index is written, and no snapshot.
 */
public interface Repository extends AutoCloseable {

    /** The repository's unique id (hex), from its config. */
    String id();

    /** How this repository chunks; engines must use a chunker made from these. */
    ChunkerParams chunkerParams();

    /** The keyed id of a plaintext blob: HMAC-SHA256 under the repository's id key. */
    BlobId blobId(byte[] data, int offset, int length);

    default BlobId blobId(byte[] data) {
        return blobId(data, 0, data.length);
    }

    /**
     * True if a blob with this id is stored (committed by any run) or pending in this session, in
     * the sense of dedup: blobs held only by packs prune has marked for deletion count as absent
     * (store them again); they still load. A snapshot may reference a blob this returned true for.
     */
    boolean contains(BlobId id);

    /**
     * Stores a blob unless a blob with the same id is already stored or pending. Compresses
     * (when that shrinks it) and encrypts in the calling thread.
     *
     * @param id the blob's id, as returned by {@link #blobId} for the same bytes
     * @return true if the blob was new and is now pending in a pack, false if it was a duplicate
     */
    boolean saveBlob(BlobType type, BlobId id, byte[] data, int offset, int length);

    default boolean saveBlob(BlobType type, byte[] data) {
        return saveBlob(type, blobId(data), data, 0, data.length);
    }

    /**
     * Loads, decrypts, decompresses and verifies a blob (its id is recomputed).
     *
     * @throws CorruptObjectException if it fails to authenticate or verify
     * @throws RepositoryException if no index names it
     */
    byte[] loadBlob(BlobId id);

    /**
     * Loads several blobs as {@link #loadBlob} does, each verified, in the order given (an id may
     * appear more than once). A repository may read blobs stored close together in one pack with
     * one request; this default loads them one by one.
     *
     * @throws CorruptObjectException if any fails to authenticate or verify
     * @throws RepositoryException if no index names one of them
     */
    default List<byte[]> loadBlobs(List<BlobId> ids) {
        List<byte[]> out = new java.util.ArrayList<>(ids.size());
        for (BlobId id : ids) {
            out.add(loadBlob(id));
        }
        return out;
    }

    /**
     * Receives a loaded blob's plaintext, {@code data[off, off + len)}, for the position
     * {@code index} of the requested ids. The array belongs to the repository and is reused once
     * the call returns: use or copy the bytes inside it.
     */
    @FunctionalInterface
    interface BlobSink {
        void accept(int index, byte[] data, int off, int len);
    }

    /**
     * Loads and verifies several blobs as {@link #loadBlobs(List)} does, handing each to
     * {@code sink} as soon as it is verified, in the order the repository reads them (by pack and
     * offset, not the order given; an id given twice is handed over twice). The plaintext passes
     * through a buffer the repository reuses, so a caller that writes the bytes out allocates nothing
     * per blob. A blob that fails verification is never handed over; the ones before it may have
     * been. Runs on the calling thread; this default loads them one by one in the order given.
     *
     * @throws CorruptObjectException if any fails to authenticate or verify
     * @throws RepositoryException if no index names one of them
     */
    default void loadBlobs(List<BlobId> ids, BlobSink sink) {
        for (int i = 0; i < ids.size(); i++) {
            byte[] b = loadBlob(ids.get(i));
            sink.accept(i, b, 0, b.length);
        }
    }

    /**
     * The plaintext length of a stored blob, as its index records it (a repository with no such
     * record loads the blob), so a caller can place the blobs of a file before loading them.
     *
     * @throws RepositoryException if no index names it
     */
    default int blobLength(BlobId id) {
        return loadBlob(id).length;
    }

    /** Writes every pending pack and an index naming them. Called by {@link #commitSnapshot}. */
    void flush();

    /**
     * Flushes, then writes the signed manifest (the commit point) and a journal entry.
     *
     * @return the new snapshot
     */
    Snapshot commitSnapshot(SnapshotSpec spec);

    /** Every committed snapshot whose manifest verifies, oldest first. */
    List<Snapshot> snapshots();

    /**
     * Finds a snapshot by full id, unique prefix (at least 4 hex digits) or {@code latest}.
     *
     * @throws RepositoryException if none or several match
     */
    Snapshot snapshot(String idOrPrefix);

    /** The newest snapshot with this source type and these paths, for choosing a parent. */
    Optional<Snapshot> latest(String sourceType, List<String> paths);

    /** Appends a signed journal entry. */
    void appendJournal(JournalEntry entry);

    /** Closes background uploads without committing anything; pending blobs are abandoned. */
    @Override
    void close();
}
