package io.lifeboat.cli;

/**
 * Process exit codes, documented in {@code lifeboat --help}: 0 success, 1 failure, 2 usage error,
 * 3 backup committed but some files could not be read, 10 no repository at the location, 11 the
 * repository or database cluster is locked by another run (maintenance lease, wal-stream), 12 wrong
 * password, key file or KMS key (the numbers follow restic's where they overlap), 13 the KMS
 * refused or failed (key disabled, pending deletion, access denied, unreachable).
 */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int PARTIAL = 3;
    static final int NO_REPOSITORY = 10;
    static final int LOCKED = 11;
    static final int WRONG_PASSWORD = 12;
    static final int KEY_UNAVAILABLE = 13;

    private ExitCodes() {
    }
}
