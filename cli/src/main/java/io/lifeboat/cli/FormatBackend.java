package io.lifeboat.cli;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.chunk.Chunkers;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.CheckReport;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.RepositoryChecker;
import io.lifeboat.common.repository.RepositoryLayout;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** The production backend: repository format v1 ({@link Repositories}) on a local directory. */
final class FormatBackend implements RepositoryBackend {

    private static ObjectStore store(RepositoryLocation location, boolean create) {
        return switch (location) {
            case RepositoryLocation.Local l -> {
                if (!create && !Files.isDirectory(l.path())) {
                    throw new CliException("no repository at " + l.path() + " (the directory does not exist)",
                        ExitCodes.NO_REPOSITORY);
                }
                yield new LocalObjectStore(l.path());
            }
            case RepositoryLocation.S3 s -> throw new CliException("s3 repositories are not supported by this "
                + "build of the CLI yet; use a local directory", ExitCodes.USAGE);
        };
    }

    @Override
    public Repository init(RepositoryLocation location, char[] password) {
        return Repositories.init(store(location, true), password, InitOptions.defaults());
    }

    @Override
    public Repository open(RepositoryLocation location, char[] password) {
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
