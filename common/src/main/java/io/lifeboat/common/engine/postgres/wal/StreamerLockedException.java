package io.lifeboat.common.engine.postgres.wal;

/** Another WAL streamer holds the cluster's streamer lock; this one must not start. */
public final class StreamerLockedException extends RuntimeException {
    public StreamerLockedException(String message) {
        super(message);
    }
}
