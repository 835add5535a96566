package io.lifeboat.common.engine;

import io.lifeboat.common.repository.Repository;

/**
 * Reads one source (a file tree, a stream, a database) into a repository and commits one snapshot.
 * Configured through its constructor with what to read; one instance describes one backup and may
 * be run again (each run commits a new snapshot).
 *
 * <p>Atomicity: a run either commits exactly one snapshot via
 * {@link Repository#commitSnapshot} as its last step, or throws and commits nothing; blobs it
 * stored before failing stay pending or in packs, for the next run's dedup to reuse.
 *
 * <p>Threading: a run may use several worker threads internally (bounded by
 * {@link BackupOptions#threads}) and bounded memory whatever the source size; one instance must not
 * run twice at once. Two instances may back up into one repository concurrently.
 *
 * <p>Errors: items that cannot be read are counted in {@link BackupSummary#errors} and the run
 * continues (the caller decides the exit code); a failure of the whole source (a command that exits
 * non-zero, a root path that does not exist) throws {@link EngineException}; repository failures
 * throw {@link io.lifeboat.common.repository.RepositoryException}.
 */
public interface BackupSource {

    /** The engine name stored in the snapshot, e.g. {@code files} or {@code stream}. */
    String sourceType();

    /** The source paths or names recorded in the snapshot and used to choose a parent. */
    java.util.List<String> paths();

    /** Runs the backup and commits its snapshot. */
    BackupResult backup(Repository repository, BackupOptions options, ProgressListener progress);
}
