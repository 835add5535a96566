package io.lifeboat.cli;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.engine.testing.FixedSizeChunker;
import io.lifeboat.common.engine.testing.InMemoryRepository;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.WrongPasswordException;
import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.decorator.ForwardingObjectStore;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.util.HashMap;
import java.util.function.Consumer;
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

    /** Buckets of {@code --source} and {@code --target s3:...}, by name; prefixes as key prefixes. */
    final Map<String, InMemoryObjectStore> buckets = new HashMap<>();
    StoreSettings configured;

    @Override
    public void configure(StoreSettings settings) {
        configured = settings;
    }

    @Override
    public ObjectStore sourceStore(RepositoryLocation.S3 location) {
        return prefixed(location);
    }

    @Override
    public ObjectStore targetStore(RepositoryLocation.S3 location) {
        return prefixed(location);
    }

    private ObjectStore prefixed(RepositoryLocation.S3 location) {
        InMemoryObjectStore bucket = buckets.computeIfAbsent(location.bucket(), b -> new InMemoryObjectStore(b));
        String p = location.prefix().isEmpty() ? "" : location.prefix() + "/";
        return new ForwardingObjectStore(bucket) {
            @Override
            public void put(String key, byte[] data, PutOptions options) {
                delegate.put(p + key, data, options);
            }

            @Override
            public byte[] get(String key) {
                return delegate.get(p + key);
            }

            @Override
            public java.io.InputStream open(String key) {
                return delegate.open(p + key);
            }

            @Override
            public void list(String prefix, Consumer<ObjectInfo> consumer) {
                delegate.list(p + prefix, i -> consumer.accept(
                    new ObjectInfo(i.key().substring(p.length()), i.size(), i.lastModified(), i.etag())));
            }
        };
    }
}
