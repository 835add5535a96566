package io.lifeboat.cli;

import picocli.CommandLine.Option;

/**
 * Base of the commands that only read the repository (snapshots, ls, check, restore): they can read
 * through delete markers and overwrites with {@code --from-versions}, the way back after a
 * ransomware-style overwrite of a versioned or Object Lock bucket.
 */
abstract class ReadCommand extends RepoCommand {
    @Option(names = "--from-versions", description = "Read through delete markers and overwrites: each object as its newest "
        + "version that authenticates (needs a bucket with versioning or Object Lock).")
    boolean fromVersions;

    @Override
    final RepositoryBackend.Access access() {
        return new RepositoryBackend.Access(false, fromVersions);
    }
}
