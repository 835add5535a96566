package io.lifeboat.cli;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.chunk.Chunkers;
import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.CheckReport;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.RepositoryChecker;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.decorator.RetryPolicy;
import io.lifeboat.common.store.decorator.RetryingObjectStore;
import io.lifeboat.common.store.local.LocalObjectStore;
import io.lifeboat.common.store.s3.S3Credentials;
import io.lifeboat.common.store.s3.S3ObjectStore;
import io.lifeboat.common.store.s3.S3StoreConfig;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The production backend: repository format v1 ({@link Repositories}) on a local directory or an
 * S3 bucket. S3 settings come from the environment: {@code LIFEBOAT_S3_ENDPOINT} (for servers other
 * than AWS; implies path-style addressing), {@code LIFEBOAT_S3_REGION} (else {@code AWS_REGION},
 * else {@code us-east-1}), {@code LIFEBOAT_S3_ACCESS_KEY} and {@code LIFEBOAT_S3_SECRET_KEY} (else
 * the AWS SDK's default credential chain). S3 calls are retried with backoff on transient errors.
 */
final class FormatBackend implements RepositoryBackend {
    private final Map<String, String> env;

    FormatBackend(Map<String, String> env) {
        this.env = env;
    }

    FormatBackend() {
        this(System.getenv());
    }

    private ObjectStore store(RepositoryLocation location, boolean create) {
        return switch (location) {
            case RepositoryLocation.Local l -> {
                if (!create && !Files.isDirectory(l.path())) {
                    throw new CliException("no repository at " + l.path() + " (the directory does not exist)",
                        ExitCodes.NO_REPOSITORY);
                }
                yield new LocalObjectStore(l.path());
            }
            case RepositoryLocation.S3 s -> new RetryingObjectStore(S3ObjectStore.open(s3Config(s)), RetryPolicy.DEFAULT);
        };
    }

    private S3StoreConfig s3Config(RepositoryLocation.S3 s) {
        String region = first(env.get("LIFEBOAT_S3_REGION"), env.get("AWS_REGION"), "us-east-1");
        S3StoreConfig.Builder b = S3StoreConfig.builder(region, s.bucket()).keyPrefix(s.prefix());
        String endpoint = env.get("LIFEBOAT_S3_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            try {
                b.endpoint(URI.create(endpoint.strip())).pathStyle(true);
            } catch (IllegalArgumentException e) {
                throw new CliException("LIFEBOAT_S3_ENDPOINT is not a URL: " + endpoint, ExitCodes.USAGE);
            }
        }
        String access = env.get("LIFEBOAT_S3_ACCESS_KEY");
        String secret = env.get("LIFEBOAT_S3_SECRET_KEY");
        if (access != null && !access.isBlank() && secret != null && !secret.isBlank()) {
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
    public Repository open(RepositoryLocation location, char[] password) {
        // On the second core while this one runs the key slot's scrypt: every command that opens
        // a repository encrypts or decrypts right after.
        AesGcm.warmUpInBackground();
        ObjectStore store = store(location, false);
        if (!store.exists(RepositoryLayout.CONFIG)) {
            throw new CliException("no repository at " + location + " (no config object; run lifeboat init)",
                ExitCodes.NO_REPOSITORY);
        }
        return Repositories.open(store, password);
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
