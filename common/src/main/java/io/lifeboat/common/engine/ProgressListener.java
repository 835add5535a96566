package io.lifeboat.common.engine;

import java.time.Duration;

/**
 * Receives progress from a running backup or restore, for progress bars and logs.
 *
 * <p>Threading: engines call these methods from several worker threads at once; implementations
 * must be thread-safe and quick (no I/O under a lock). Every method has a no-op default, so a
 * listener implements only what it shows. Listeners must not throw.
 */
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public Duration totalsWantedAfter() {
            return null;
        }
    };

    /**
     * How long after a run starts this listener first shows {@link #totals}, or {@code null} when it
     * never does. A file-tree backup counts its totals with a second walk over the tree, which
     * competes with the backup for the disk and the CPU; it starts that walk only then, so a run
     * that ends sooner never pays for it. Defaults to {@code Duration.ZERO} (at once).
     */
    default Duration totalsWantedAfter() {
        return Duration.ZERO;
    }

    /**
     * The total amount of work, once known (a file-tree backup learns it from a scan that runs
     * alongside; a stream never knows it). May be called more than once as estimates improve.
     */
    default void totals(long files, long bytes) {
    }

    /** Work on an item (a file path, a stream name) started. */
    default void itemStarted(String path) {
    }

    /** {@code n} more bytes were read (backup) or written (restore). */
    default void bytesProcessed(long n) {
    }

    /**
     * An item is done.
     *
     * @param bytes its size
     * @param read whether its content was read from the source; false when a backup reused the
     *     parent snapshot's content for an unchanged file
     */
    default void itemDone(String path, long bytes, boolean read) {
    }

    /** Something worth telling the user that does not fail the run (a file changed while read). */
    default void warning(String message) {
    }

    /** An item failed; the run goes on and reports the error in its summary. */
    default void error(String message) {
    }
}
