package io.lifeboat.common.engine.testing;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.chunk.ChunkerParams;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** A test double of {@link Chunker}: fixed-size chunks of {@code params.avgSize()} bytes. */
public final class FixedSizeChunker implements Chunker {
    private final ChunkerParams params;

    public FixedSizeChunker(ChunkerParams params) {
        this.params = params;
    }

    public FixedSizeChunker(int size) {
        this(new ChunkerParams("fixed-test", size, size, size, 0));
    }

    @Override
    public ChunkerParams params() {
        return params;
    }

    @Override
    public void split(InputStream in, ChunkSink sink) throws IOException {
        int size = params.avgSize();
        while (true) {
            byte[] buf = in.readNBytes(size);
            if (buf.length == 0) {
                return;
            }
            sink.accept(buf.length == size ? buf : Arrays.copyOf(buf, buf.length));
            if (buf.length < size) {
                return;
            }
        }
    }
}
