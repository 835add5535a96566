package io.lifeboat.common.repository;

import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.crypto.Algorithms;
import io.lifeboat.common.keys.ScryptParams;

/**
 * How {@link Repositories#init} creates a repository.
 *
 * @param scrypt cost of the passphrase slot's key derivation
 * @param chunker chunking algorithm and sizes, stored in the config
 * @param compression blob compression algorithm name ({@code zstd} or {@code none})
 * @param compressionLevel level for zstd; 3 by default
 * @param packSizeTarget close packs at this many bytes; 16 MiB by default
 * @param objectLock S3 Object Lock retention for everything written; null (the default) for none.
 *     The store must support Object Lock ({@code init} checks)
 */
public record InitOptions(ScryptParams scrypt, ChunkerParams chunker, String compression, int compressionLevel, long packSizeTarget,
        ObjectLockSettings objectLock) {
    public static final long DEFAULT_PACK_SIZE = 16L << 20;

    public InitOptions(ScryptParams scrypt, ChunkerParams chunker, String compression, int compressionLevel, long packSizeTarget) {
        this(scrypt, chunker, compression, compressionLevel, packSizeTarget, null);
    }

    /** Production defaults: scrypt N=2^16, r=8, p=1; FastCDC 512 KiB/1 MiB/8 MiB; zstd 3; 16 MiB packs. */
    public static InitOptions defaults() {
        return new InitOptions(ScryptParams.defaults(), ChunkerParams.defaults(), Algorithms.ZSTD, 3, DEFAULT_PACK_SIZE);
    }

    /** As {@link #defaults()} but with trivially cheap scrypt, so tests open repositories in milliseconds. */
    public static InitOptions forTests() {
        return new InitOptions(ScryptParams.forTests(), ChunkerParams.defaults(), Algorithms.ZSTD, 3, DEFAULT_PACK_SIZE);
    }

    public InitOptions withChunker(ChunkerParams params) {
        return new InitOptions(scrypt, params, compression, compressionLevel, packSizeTarget, objectLock);
    }

    public InitOptions withPackSizeTarget(long bytes) {
        return new InitOptions(scrypt, chunker, compression, compressionLevel, bytes, objectLock);
    }

    public InitOptions withCompression(String name, int level) {
        return new InitOptions(scrypt, chunker, name, level, packSizeTarget, objectLock);
    }

    /** Writes everything with S3 Object Lock retention; null for none. */
    public InitOptions withObjectLock(ObjectLockSettings lock) {
        return new InitOptions(scrypt, chunker, compression, compressionLevel, packSizeTarget, lock);
    }
}
