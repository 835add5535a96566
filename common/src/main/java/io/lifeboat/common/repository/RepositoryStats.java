package io.lifeboat.common.repository;

/**
 * What a repository holds, from its index and listings.
 *
 * @param packs indexed packs
 * @param blobs distinct indexed blobs
 * @param rawBytes plaintext bytes of those blobs (what dedup and compression reduced to packBytes)
 * @param packBytes bytes stored in indexed packs
 * @param snapshots snapshot manifests in the store (verified or not)
 * @param indexFiles index files in the store
 */
public record RepositoryStats(long packs, long blobs, long rawBytes, long packBytes, long snapshots, long indexFiles) {
}
