package io.lifeboat.cli;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.repository.Repository;
import java.util.OptionalLong;

/** The production backend: the repository format v1 on a local directory. */
final class FormatBackend implements RepositoryBackend {
    private static CliException missing() {
        return new CliException("this build has no repository implementation yet", ExitCodes.FAILURE);
    }

    @Override
    public Repository init(RepositoryLocation location, char[] password) {
        throw missing();
    }

    @Override
    public Repository open(RepositoryLocation location, char[] password) {
        throw missing();
    }

    @Override
    public Chunker chunker(ChunkerParams params) {
        throw missing();
    }

    @Override
    public PackCheck checkPacks(Repository repository, double readFraction) {
        throw missing();
    }

    @Override
    public OptionalLong storedBytes(Repository repository) {
        return OptionalLong.empty();
    }
}
