package io.lifeboat.common.maintenance;

import io.lifeboat.common.repository.BlobId;
import java.util.function.Consumer;

/**
 * Finds the blobs a TREE blob references, so prune can compute what snapshots keep alive.
 *
 * <p>Threading: implementations are stateless and thread-safe. Throws {@link
 * io.lifeboat.common.repository.CorruptObjectException} for a tree it cannot parse: prune then
 * stops, because deleting on incomplete knowledge loses data.
 */
public interface TreeReferences {

    /**
     * Reports the references of one tree.
     *
     * @param treeId the tree's id, for error messages
     * @param plaintext the tree blob's plaintext
     * @param data called with every DATA blob the tree names
     * @param subtrees called with every TREE blob the tree names
     */
    void references(BlobId treeId, byte[] plaintext, Consumer<BlobId> data, Consumer<BlobId> subtrees);
}
