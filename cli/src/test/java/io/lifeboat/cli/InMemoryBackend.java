package io.lifeboat.cli;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.engine.testing.FixedSizeChunker;
import io.lifeboat.common.engine.testing.InMemoryRepository;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.WrongPasswordException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** A backend double: repositories in memory, keyed by location, with a password each. */
final class InMemoryBackend implements RepositoryBackend {
    final Map<RepositoryLocation, InMemoryRepository> repos = new HashMap<>();
    final Map<RepositoryLocation, String> passwords = new HashMap<>();
    Map<String, Set<BlobId>> damaged = Map.of();

    @Override
    public Repository init(RepositoryLocation location, char[] password) {
        return init(location, password, new ChunkerParams("fixed-test", 1024, 1024, 1024, 0));
    }

    @Override
    public Repository init(RepositoryLocation location, char[] password, ChunkerParams chunker) {
        if (repos.containsKey(location)) {
            throw new RepositoryException("a repository already exists at " + location);
        }
        InMemoryRepository r = new InMemoryRepository(chunker);
        repos.put(location, r);
        passwords.put(location, new String(password));
        return r;
    }

    @Override
    public Repository open(RepositoryLocation location, char[] password) {
        InMemoryRepository r = repos.get(location);
        if (r == null) {
            throw new CliException("no repository at " + location, ExitCodes.NO_REPOSITORY);
        }
        if (!passwords.get(location).equals(new String(password))) {
            throw new WrongPasswordException("wrong password: no key slot of the repository opens with it");
        }
        return r;
    }

    @Override
    public Chunker chunker(ChunkerParams params) {
        return new FixedSizeChunker(params);
    }

    @Override
    public PackCheck checkPacks(Repository repository, double readFraction) {
        return new PackCheck(damaged.isEmpty() || readFraction == 0 ? List.of() : List.of("a pack failed to verify"), List.of(),
            readFraction > 0 ? damaged : Map.of(), readFraction > 0 ? 1 : 0);
    }

    @Override
    public OptionalLong storedBytes(Repository repository) {
        return OptionalLong.of(1000);
    }
}
