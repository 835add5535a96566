package io.lifeboat.common.chunk;

/**
 * A chunking algorithm by name, with its size limits and the seed of its gear table. Stored in
 * the repository config; an unknown algorithm name is a hard error when the repository opens.
 * Copying these parameters to a second repository makes both chunk identically (needed for
 * dedup between copies).
 *
 * @param algorithm registered name, for example {@code fastcdc-v2020}
 * @param minSize smallest chunk in bytes, except the last chunk of a stream
 * @param avgSize target average chunk size in bytes, a power of two
 * @param maxSize largest chunk in bytes
 * @param gearSeed seed from which the gear table is derived; 0 means the built-in table
 */
public record ChunkerParams(String algorithm, int minSize, int avgSize, int maxSize, long gearSeed) {

    /** The default: FastCDC, 512 KiB min, 1 MiB average, 8 MiB max. */
    public static ChunkerParams defaults() {
        return new ChunkerParams("fastcdc-v2020", 512 * 1024, 1024 * 1024, 8 * 1024 * 1024, 0L);
    }

    public ChunkerParams {
        if (algorithm == null || algorithm.isBlank()) {
            throw new IllegalArgumentException("chunker algorithm name is missing");
        }
        if (minSize <= 0 || avgSize < minSize || maxSize < avgSize) {
            throw new IllegalArgumentException(
                "chunker sizes must satisfy 0 < min <= avg <= max, got " + minSize + "/" + avgSize + "/" + maxSize);
        }
        if (Integer.bitCount(avgSize) != 1) {
            throw new IllegalArgumentException("chunker average size must be a power of two, got " + avgSize);
        }
    }
}
