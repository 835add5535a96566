package io.lifeboat.common.chunk;

import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The registry of chunking algorithms by the name stored in a repository's config. Creating a
 * chunker for an unknown name fails, so a repository written by a newer version is never chunked
 * differently by an older one.
 *
 * <p>Threading: stateless and safe to call from any thread.
 */
public final class Chunkers {

    private static final Map<String, Function<ChunkerParams, Chunker>> FACTORIES =
        Map.of(FastCdcChunker.ALGORITHM, FastCdcChunker::new);

    private Chunkers() {
    }

    /**
     * Creates the chunker that {@code params} names.
     *
     * @throws IllegalArgumentException when the algorithm is not registered or rejects the sizes
     */
    public static Chunker create(ChunkerParams params) {
        Function<ChunkerParams, Chunker> factory = FACTORIES.get(params.algorithm());
        if (factory == null) {
            throw new IllegalArgumentException("unknown chunker algorithm '" + params.algorithm()
                + "'; known: " + String.join(", ", algorithms()));
        }
        return factory.apply(params);
    }

    /** The registered algorithm names, sorted. */
    public static SortedSet<String> algorithms() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(FACTORIES.keySet()));
    }
}
