package io.lifeboat.common.engine.postgres.wal;

/**
 * Where a {@link WalStreamer} puts what it receives: the cluster's WAL archive. The streamer calls it
 * from one thread.
 *
 * <p>Every method returns only once the write is durable (the streamer deletes its local copy of a
 * completed segment after {@link #putSegment} returns) and throws an unchecked exception otherwise;
 * the streamer keeps the file and tries again.
 */
public interface WalSink {

    /** Tells the sink the server's WAL segment size, before anything is stored. */
    default void segmentSize(long bytes) {
    }

    /** Stores a completed segment or a timeline history file; storing the same file again is harmless. */
    void putSegment(String fileName, byte[] data);

    /**
     * Stores the segment being written, replacing the previous partial copy of the same segment.
     *
     * @param data the spool file (full segment size, zero-filled past {@code validBytes})
     * @param validBytes how many leading bytes hold WAL
     */
    void putPartial(String segmentName, byte[] data, int validBytes);

    /** Replaces the cluster's status object. */
    void writeStatus(StreamerStatus status);
}
