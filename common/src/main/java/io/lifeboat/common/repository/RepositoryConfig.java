package io.lifeboat.common.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.crypto.Algorithms;
import io.lifeboat.common.format.Json;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.format.SealedEnvelope;
import java.time.Instant;
import javax.crypto.SecretKey;

/**
 * The repository config (format section 5): format version, id, and every algorithm by name.
 *
 * @param formatVersion the format version the repository was created with
 * @param id 64 hex digits, random
 * @param created creation time
 * @param chunker chunking algorithm and sizes
 * @param blobIdMac blob id algorithm
 * @param compression blob compression algorithm
 * @param compressionLevel level of that compression
 * @param kdf subkey derivation algorithm
 * @param packSizeTarget a pack is closed once its blobs reach this many bytes
 * @param objectLock S3 Object Lock retention for everything written, or null (absent in the JSON)
 *     for none; optional, so configs without it read and write exactly as before
 */
public record RepositoryConfig(int formatVersion, String id, Instant created, ChunkerParams chunker, String blobIdMac,
        String compression, int compressionLevel, String kdf, long packSizeTarget,
        @JsonInclude(JsonInclude.Include.NON_NULL) ObjectLockSettings objectLock) {

    /** A config without Object Lock. */
    public RepositoryConfig(int formatVersion, String id, Instant created, ChunkerParams chunker, String blobIdMac,
            String compression, int compressionLevel, String kdf, long packSizeTarget) {
        this(formatVersion, id, created, chunker, blobIdMac, compression, compressionLevel, kdf, packSizeTarget, null);
    }

    public static final long MIN_PACK_SIZE = 4096;
    public static final long MAX_PACK_SIZE = 1L << 30;

    /** Throws {@link UnsupportedFormatException} for unknown names, {@link CorruptObjectException} for nonsense. */
    public void validate() {
        FormatVersion.check(formatVersion, "config");
        if (id == null || !id.matches("[0-9a-f]{64}") || chunker == null || created == null) {
            throw new CorruptObjectException("config is corrupt: required field missing");
        }
        Algorithms.checkChunker(chunker.algorithm());
        Algorithms.checkBlobIdMac(blobIdMac);
        Algorithms.compressionId(compression);
        Algorithms.checkKdf(kdf);
        if (packSizeTarget < MIN_PACK_SIZE || packSizeTarget > MAX_PACK_SIZE) {
            throw new CorruptObjectException("config is corrupt: pack size target out of range");
        }
        if (compressionLevel < -7 || compressionLevel > 22) {
            throw new CorruptObjectException("config is corrupt: compression level out of range");
        }
        if (objectLock != null) {
            objectLock.validate();
        }
    }

    public byte[] seal(SecretKey metadataKey) {
        return SealedEnvelope.seal(Magic.CONFIG, metadataKey, Json.write(this));
    }

    public static RepositoryConfig open(byte[] sealed, SecretKey metadataKey) {
        RepositoryConfig c = Json.read(SealedEnvelope.open(Magic.CONFIG, metadataKey, sealed, RepositoryLayout.CONFIG),
            RepositoryConfig.class, RepositoryLayout.CONFIG);
        c.validate();
        return c;
    }
}
