package io.lifeboat.cli;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.chunk.Chunkers;
import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.CheckReport;
import io.lifeboat.common.keys.KeyCredentials;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.ObjectLockSettings;
import io.lifeboat.common.repository.OpenOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.RepositoryChecker;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.repository.VersionRecoveringStore;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.decorator.ObjectStoreStack;
import io.lifeboat.common.store.decorator.RetryPolicy;
import io.lifeboat.common.store.decorator.RetryingObjectStore;
import io.lifeboat.common.store.decorator.StoreMetrics;
import io.lifeboat.common.store.local.LocalObjectStore;
import io.lifeboat.common.store.s3.S3Credentials;
import io.lifeboat.common.store.s3.S3ObjectStore;
import io.lifeboat.common.store.s3.S3StoreConfig;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The production backend: repository format v1 ({@link Repositories}) on a local directory or an
 * S3 bucket. S3 settings come from the environment: {@code LIFEBOAT_S3_ENDPOINT} (for servers other
 * than AWS; implies path-style addressing), {@code LIFEBOAT_S3_REGION} (else {@code AWS_REGION},
 * else {@code us-east-1}), {@code LIFEBOAT_S3_ACCESS_KEY} and {@code LIFEBOAT_S3_SECRET_KEY} (else
 * the AWS SDK's default credential chain). Every repository store is wrapped in the standard
 * decorators ({@link ObjectStoreStack}): the upload and download limits of {@link StoreSettings},
 * and for S3 retry with backoff on transient errors within the retry budget.
 *
 * <p>An S3 backup source ({@code backup --source s3:...}) and an S3 restore target
 * ({@code restore --target s3:...}) take their settings from {@code LIFEBOAT_SOURCE_S3_*} and
 * {@code LIFEBOAT_TARGET_S3_*} (same names after the prefix), each falling back to the
 * {@code LIFEBOAT_S3_*} one: a source in another account gets its own credentials. They are
 * retried like the repository but not throttled (the limits are for repository traffic).
 *
 *
 * <p>Commands that delete (forget, prune, hold removal, key remove/rotate) use {@code LIFEBOAT_S3_MAINTENANCE_ACCESS_KEY}
 * and {@code LIFEBOAT_S3_MAINTENANCE_SECRET_KEY} when both are set, so the backup credential never
 * needs {@code s3:DeleteObject} (docs/security.md); without them they use the backup credential.
 */
final class FormatBackend implements RepositoryBackend {
    private static final RetryPolicy NO_RETRY = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    private final Map<String, String> env;
    private final UnaryOperator<ObjectStore> adapterDecorator;
    private volatile StoreSettings settings = StoreSettings.DEFAULT;

    FormatBackend(Map<String, String> env) {
        this(env, UnaryOperator.identity());
    }

    /**
     * @param adapterDecorator wraps each storage adapter beneath the retry and throttle decorators
     *     (tests inject faults there)
     */
    FormatBackend(Map<String, String> env, UnaryOperator<ObjectStore> adapterDecorator) {
        this.env = env;
        this.adapterDecorator = adapterDecorator;
    }

    @Override
    public void configure(StoreSettings storeSettings) {
        this.settings = storeSettings;
    }

    FormatBackend() {
        this(System.getenv());
    }

    private ObjectStore store(RepositoryLocation location, boolean create) {
        return store(location, create, false);
    }

    private ObjectStore store(RepositoryLocation location, boolean create, boolean maintenance) {
        ObjectStore adapter = switch (location) {
            case RepositoryLocation.Local l -> {
                if (!create && !Files.isDirectory(l.path())) {
                    throw new CliException("no repository at " + l.path() + " (the directory does not exist)",
                        ExitCodes.NO_REPOSITORY);
                }
                yield new LocalObjectStore(l.path());
            }
            case RepositoryLocation.S3 s -> S3ObjectStore.open(s3Config(s, "LIFEBOAT_S3_", maintenance));
        };
        StoreSettings st = settings;
        // A local file system is not retried (as before): its transient-looking errors, such as a
        // full disk, do not heal within a retry budget, and waiting minutes only delays the message.
        RetryPolicy retry = location instanceof RepositoryLocation.S3 ? st.retryPolicy() : NO_RETRY;
        return ObjectStoreStack.standard(adapterDecorator.apply(adapter), retry, StoreMetrics.NONE,
            st.uploadKibPerSecond(), st.downloadKibPerSecond());
    }

    @Override
    public ObjectStore sourceStore(RepositoryLocation.S3 location) {
        return new RetryingObjectStore(adapterDecorator.apply(S3ObjectStore.open(s3Config(location, "LIFEBOAT_SOURCE_S3_", false))),
            settings.retryPolicy());
    }

    @Override
    public ObjectStore targetStore(RepositoryLocation.S3 location) {
        return new RetryingObjectStore(adapterDecorator.apply(S3ObjectStore.open(s3Config(location, "LIFEBOAT_TARGET_S3_", false))),
            settings.retryPolicy());
    }

    /** Reads {@code <prefix>ENDPOINT}, {@code REGION}, {@code ACCESS_KEY}, {@code SECRET_KEY}, falling back to {@code LIFEBOAT_S3_*}. */
    S3StoreConfig s3Config(RepositoryLocation.S3 s, String prefix) {
        return s3Config(s, prefix, false);
    }

    /** As {@link #s3Config(RepositoryLocation.S3, String)}; {@code maintenance} prefers the maintenance key pair. */
    S3StoreConfig s3Config(RepositoryLocation.S3 s, String prefix, boolean maintenance) {
        String region = first(env.get(prefix + "REGION"), env.get("LIFEBOAT_S3_REGION"), env.get("AWS_REGION"),
            "us-east-1");
        S3StoreConfig.Builder b = S3StoreConfig.builder(region, s.bucket()).keyPrefix(s.prefix());
        String endpointVar = first(env.get(prefix + "ENDPOINT")) != null ? prefix + "ENDPOINT" : "LIFEBOAT_S3_ENDPOINT";
        String endpoint = env.get(endpointVar);
        if (endpoint != null && !endpoint.isBlank()) {
            try {
                b.endpoint(URI.create(endpoint.strip())).pathStyle(true);
            } catch (IllegalArgumentException e) {
                throw new CliException(endpointVar + " is not a URL: " + endpoint, ExitCodes.USAGE);
            }
        }
        // A pair is taken whole: never the access key of one and the secret of the other.
        String access = env.get(prefix + "ACCESS_KEY");
        String secret = env.get(prefix + "SECRET_KEY");
        if (first(access) == null || first(secret) == null) {
            access = env.get("LIFEBOAT_S3_ACCESS_KEY");
            secret = env.get("LIFEBOAT_S3_SECRET_KEY");
        }
        String maintenanceAccess = env.get("LIFEBOAT_S3_MAINTENANCE_ACCESS_KEY");
        String maintenanceSecret = env.get("LIFEBOAT_S3_MAINTENANCE_SECRET_KEY");
        if (maintenance && first(maintenanceAccess) != null && first(maintenanceSecret) != null) {
            access = maintenanceAccess;
            secret = maintenanceSecret;
        }
        if (first(access) != null && first(secret) != null) {
            b.credentials(S3Credentials.of(access, secret));
        }
        return b.build();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    @Override
    public Repository init(RepositoryLocation location, char[] password) {
        return Repositories.init(store(location, true), password, InitOptions.defaults());
    }

    @Override
    public Repository init(RepositoryLocation location, char[] password, ChunkerParams chunker) {
        return Repositories.init(store(location, true), password, InitOptions.defaults().withChunker(chunker));
    }

    @Override
    public Repository init(RepositoryLocation location, KeyCredentials credentials, boolean allowKmsOnly, ChunkerParams chunker) {
        return init(location, credentials, allowKmsOnly, chunker, null);
    }

    @Override
    public Repository init(RepositoryLocation location, KeyCredentials credentials, boolean allowKmsOnly, ChunkerParams chunker,
            ObjectLockSettings objectLock) {
        InitOptions options = (chunker == null ? InitOptions.defaults() : InitOptions.defaults().withChunker(chunker)).withObjectLock(objectLock);
        return Repositories.init(store(location, true), credentials, allowKmsOnly, options, OpenOptions.defaults());
    }

    @Override
    public Repository open(RepositoryLocation location, char[] password) {
        return Repositories.open(existingStore(location, Access.BACKUP), password);
    }

    @Override
    public Repository open(RepositoryLocation location, KeyCredentials credentials) {
        return open(location, credentials, Access.BACKUP);
    }

    @Override
    public Repository open(RepositoryLocation location, KeyCredentials credentials, Access access) {
        return Repositories.open(existingStore(location, access), credentials, OpenOptions.defaults());
    }

    private ObjectStore existingStore(RepositoryLocation location, Access access) {
        // On the second core while this one runs the key slot's scrypt: every command that opens
        // a repository encrypts or decrypts right after.
        AesGcm.warmUpInBackground();
        ObjectStore raw = store(location, false, access.maintenance());
        ObjectStore store = raw;
        if (access.fromVersions()) {
            try {
                store = new VersionRecoveringStore(raw);
            } catch (RuntimeException e) {
                raw.close();
                throw e;
            }
        }
        if (!store.exists(RepositoryLayout.CONFIG)) {
            throw new CliException("no repository at " + location + " (no config object; run lifeboat init)",
                ExitCodes.NO_REPOSITORY);
        }
        return store;
    }

    @Override
    public Chunker chunker(ChunkerParams params) {
        return Chunkers.create(params);
    }

    @Override
    public PackCheck checkPacks(Repository repository, double readFraction) {
        RepositoryChecker checker = new RepositoryChecker((PackRepository) repository);
        List<CheckReport> reports = new ArrayList<>();
        reports.add(checker.checkMetadata());
        reports.add(checker.checkVersions());
        if (readFraction > 0) {
            reports.add(checker.readData(Math.min(100.0, readFraction * 100.0)));
        }
        Set<String> problems = new LinkedHashSet<>();
        Set<String> warnings = new LinkedHashSet<>();
        Map<String, Set<BlobId>> damaged = new LinkedHashMap<>();
        long packsRead = 0;
        for (CheckReport r : reports) {
            for (CheckReport.Problem p : r.errors()) {
                problems.add(p.object() + ": " + p.message());
            }
            r.problems().stream().filter(p -> p.severity() == CheckReport.Severity.WARNING)
                .forEach(p -> warnings.add(p.object() + ": " + p.message()));
            for (CheckReport.DamagedPack d : r.damagedPacks()) {
                damaged.computeIfAbsent(d.pack().hex(), k -> new LinkedHashSet<>()).addAll(d.blobs());
            }
            packsRead += r.packsRead();
        }
        return new PackCheck(List.copyOf(problems), List.copyOf(warnings), damaged, packsRead);
    }

    @Override
    public OptionalLong storedBytes(Repository repository) {
        return repository instanceof PackRepository p ? OptionalLong.of(p.stats().packBytes()) : OptionalLong.empty();
    }
}
