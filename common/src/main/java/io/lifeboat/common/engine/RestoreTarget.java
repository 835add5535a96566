package io.lifeboat.common.engine;

import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import java.util.List;

/**
 * Writes a snapshot, or chosen parts of it, somewhere: a directory, a database, a stream. Configured
 * through its constructor with where to write.
 *
 * <p>Safety: a target never writes outside its destination, whatever the snapshot holds; a tree with
 * an unsafe node name (see {@link TreeNames#isSafe}) fails the restore with
 * {@link io.lifeboat.common.repository.CorruptObjectException}.
 *
 * <p>Threading: a run may use several worker threads internally with bounded memory; one instance
 * must not run twice at once.
 *
 * <p>Idempotency: restoring the same snapshot twice into the same place gives the same result when
 * the target allows overwriting; otherwise the second run fails with {@link EngineException} before
 * writing anything.
 *
 * <p>Errors: blobs that fail to load or verify throw
 * {@link io.lifeboat.common.repository.RepositoryException}; a destination that cannot be used throws
 * {@link EngineException}; single items that cannot be written are counted in
 * {@link RestoreSummary#errors}.
 */
public interface RestoreTarget {

    /**
     * Restores {@code snapshot}.
     *
     * @param includes snapshot paths ({@code /}-separated, relative to the snapshot root) to restore
     *     with everything under them; empty restores everything
     */
    RestoreSummary restore(Repository repository, Snapshot snapshot, List<String> includes,
            ProgressListener progress);
}
