package io.lifeboat.cli;

/**
 * Process exit codes, documented in {@code lifeboat --help}: 0 success, 1 failure, 2 usage error,
 * 3 backup committed but some files could not be read, 10 no repository at the location, 12 wrong
 * password, 13 another wal-stream already streams the cluster (the numbers follow restic's where they
 * overlap).
 */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int PARTIAL = 3;
    static final int NO_REPOSITORY = 10;
    static final int WRONG_PASSWORD = 12;
    /** wal-stream: another streamer already streams this database cluster. */
    static final int STREAMER_RUNNING = 13;

    private ExitCodes() {
    }
}
