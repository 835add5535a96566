package io.lifeboat.cli;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.keys.KeyCredentials;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.ObjectLockSettings;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.store.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the CLI needs from the repository implementation: creating and opening repositories at a
 * location, making the configured chunker, the pack-level check, and stored sizes. One seam, so
 * commands are tested against an in-memory double and run against the real format.
 *
 * <p>Errors: {@link io.lifeboat.common.repository.WrongPasswordException} for a password no slot
 * accepts, {@link CliException} with {@link ExitCodes#NO_REPOSITORY} when nothing is at the location,
 * {@link io.lifeboat.common.repository.RepositoryException} for everything else.
 */
interface RepositoryBackend {

    Repository init(RepositoryLocation location, char[] password);

    /**
     * Creates a repository that chunks with {@code chunker}, so that it deduplicates exactly like
     * the repository the parameters were copied from.
     */
    Repository init(RepositoryLocation location, char[] password, ChunkerParams chunker);

    Repository open(RepositoryLocation location, char[] password);

    /**
     * Opens with whichever key slot the credentials open (passphrase, key file or KMS). The
     * default uses the passphrase alone, for backends that know no other slot.
     */
    default Repository open(RepositoryLocation location, KeyCredentials credentials) {
        char[] p = credentials.passphrase();
        return open(location, p == null ? new char[0] : p);
    }

    /**
     * Creates a repository with a key slot per credential.
     *
     * @param chunker the chunker parameters, or null for the defaults
     * @param allowKmsOnly accept a KMS slot without any offline recovery slot
     */
    default Repository init(RepositoryLocation location, KeyCredentials credentials, boolean allowKmsOnly, ChunkerParams chunker) {
        if (credentials.passphrase() == null) {
            throw new CliException("this backend supports passphrase key slots only", ExitCodes.USAGE);
        }
        return chunker == null ? init(location, credentials.passphrase()) : init(location, credentials.passphrase(), chunker);
    }

    /**
     * How a command reaches the store.
     *
     * @param maintenance the command deletes (forget, prune, hold removal): use the maintenance
     *     credential where one is configured
     * @param fromVersions read each object as its newest authentic version, through delete markers
     *     and overwrites ({@code --from-versions})
     */
    record Access(boolean maintenance, boolean fromVersions) {
        static final Access BACKUP = new Access(false, false);
    }

    /** Opens with the given access; implementations without versions or roles support only {@link Access#BACKUP}. */
    default Repository open(RepositoryLocation location, KeyCredentials credentials, Access access) {
        if (access.fromVersions()) {
            throw new CliException("this repository implementation cannot read object versions", ExitCodes.FAILURE);
        }
        return open(location, credentials);
    }

    /** As {@link #init(RepositoryLocation, KeyCredentials, boolean, ChunkerParams)}, with S3 Object Lock ({@code objectLock} null for none). */
    default Repository init(RepositoryLocation location, KeyCredentials credentials, boolean allowKmsOnly, ChunkerParams chunker,
            ObjectLockSettings objectLock) {
        if (objectLock != null) {
            throw new CliException("this repository implementation does not support object lock", ExitCodes.FAILURE);
        }
        return init(location, credentials, allowKmsOnly, chunker);
    }

    Chunker chunker(ChunkerParams params);

    /**
     * Checks packs and indexes.
     *
     * @param readFraction 0 to check metadata only, 1 to read every pack, in between to read that
     *     share of packs
     */
    PackCheck checkPacks(Repository repository, double readFraction);

    /** Bytes the repository's packs take in the store, when the implementation knows. */
    OptionalLong storedBytes(Repository repository);

    /**
     * Sets how stores opened from now on are throttled and retried (the global flags); called
     * before a command opens anything.
     */
    default void configure(StoreSettings settings) {
    }

    /** The bucket and prefix of {@code backup --source s3:...}, keys relative to the prefix. */
    default ObjectStore sourceStore(RepositoryLocation.S3 location) {
        throw new CliException("this backend cannot read S3 sources", ExitCodes.FAILURE);
    }

    /** The bucket and prefix of {@code restore --target s3:...}, keys relative to the prefix. */
    default ObjectStore targetStore(RepositoryLocation.S3 location) {
        throw new CliException("this backend cannot restore into S3", ExitCodes.FAILURE);
    }

    /**
     * The result of the pack-level check.
     *
     * @param problems one line per error found in packs or indexes
     * @param warnings one line per harmless finding (for example packs no index names yet, left by
     *     an interrupted backup)
     * @param damagedPacks pack id to the blobs the index says it holds, for packs that failed to read
     * @param packsRead how many packs were read in full
     */
    record PackCheck(List<String> problems, List<String> warnings, Map<String, Set<BlobId>> damagedPacks, long packsRead) {
    }
}
