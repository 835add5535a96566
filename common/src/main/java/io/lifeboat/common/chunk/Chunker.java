package io.lifeboat.common.chunk;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into content-defined chunks. Created from {@link ChunkerParams} by name, so a
 * repository always chunks the way its config says.
 *
 * <p>Threading: one instance may be used by many threads at once; each call to
 * {@link #split} keeps its own state. Memory per call is bounded by the maximum chunk size
 * plus one read buffer, whatever the input size.
 */
public interface Chunker {

    /** The parameters this chunker was made with. */
    ChunkerParams params();

    /**
     * Reads {@code in} to its end and hands every chunk, in order, to {@code sink}. Each array
     * passed to the sink is newly allocated and owned by the sink from then on (it may hand it
     * to another thread); its length is the chunk's length. An empty stream yields no chunk.
     *
     * @throws IOException from the stream or the sink
     */
    void split(InputStream in, ChunkSink sink) throws IOException;

    /** Receives chunks from {@link Chunker#split}. */
    @FunctionalInterface
    interface ChunkSink {
        void accept(byte[] chunk) throws IOException;
    }
}
