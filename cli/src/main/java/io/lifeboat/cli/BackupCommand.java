package io.lifeboat.cli;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.BackupSource;
import io.lifeboat.common.engine.BackupSummary;
import io.lifeboat.common.engine.files.FileTreeSource;
import io.lifeboat.common.engine.objects.ObjectStoreSource;
import io.lifeboat.common.engine.stream.StreamSource;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.store.ObjectStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", description = {"Back up paths, standard input, a command's output, or an S3 prefix.",
    "Examples: lifeboat backup /srv/data /etc",
    "          lifeboat backup --stdin-from-command --stdin-filename db.sql -- pg_dump mydb",
    "          lifeboat backup --source s3:uploads-bucket/images"})
final class BackupCommand extends RepoCommand {
    @Parameters(paramLabel = "PATH|COMMAND", arity = "0..*",
        description = "Paths to back up; with --stdin-from-command, the command and its arguments.")
    List<String> args = new ArrayList<>();

    @Option(names = "--stdin", description = "Back up standard input.")
    boolean stdin;

    @Option(names = "--stdin-from-command", description = "Run the command given after -- and back up its output.")
    boolean stdinFromCommand;

    @Option(names = "--stdin-filename", defaultValue = "stdin", description = "File name for --stdin data (default: ${DEFAULT-VALUE}).")
    String stdinFilename;

    @Option(names = "--source", paramLabel = "s3:BUCKET/PREFIX",
        description = "Back up the objects under an S3 prefix; unchanged objects (same ETag, size and time) are not "
            + "read again. Settings from LIFEBOAT_SOURCE_S3_ENDPOINT, _REGION, _ACCESS_KEY, _SECRET_KEY, "
            + "else the LIFEBOAT_S3_* ones.")
    String sourceLocation;

    @Option(names = "--tag", description = "Tag the snapshot (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--host", description = "Host name to record (default: this host).")
    String host;

    @Option(names = "--parent", paramLabel = "SNAPSHOT", description = "Compare against this snapshot instead of the latest.")
    String parent;

    @Option(names = "--force", description = "Read every file, even unchanged ones.")
    boolean force;

    @Option(names = "--threads", description = "Worker threads (default: one per core, at least 2).")
    Integer threads;

    private ObjectStore sourceStore;

    private BackupSource objectSource(Chunker chunker) {
        RepositoryLocation location;
        try {
            location = RepositoryLocation.parse(sourceLocation);
        } catch (IllegalArgumentException e) {
            throw new CliException("--source: " + e.getMessage(), ExitCodes.USAGE);
        }
        if (!(location instanceof RepositoryLocation.S3 s3)) {
            throw new CliException("--source needs s3:bucket/prefix; give local paths as arguments", ExitCodes.USAGE);
        }
        sourceStore = root.backend.sourceStore(s3);
        return new ObjectStoreSource(sourceStore, "", s3.toString(), chunker);
    }

    @Override
    int run(Repository repo) {
        Chunker chunker = root.backend.chunker(repo.chunkerParams());
        BackupSource source;
        if (stdin && stdinFromCommand) {
            throw new CliException("use either --stdin or --stdin-from-command", ExitCodes.USAGE);
        }
        if (sourceLocation != null) {
            if (stdin || stdinFromCommand || !args.isEmpty()) {
                throw new CliException("--source takes no paths, --stdin or --stdin-from-command", ExitCodes.USAGE);
            }
            source = objectSource(chunker);
        } else if (stdinFromCommand) {
            if (args.isEmpty()) {
                throw new CliException("--stdin-from-command needs a command after --", ExitCodes.USAGE);
            }
            source = StreamSource.ofCommand(stdinFilename, chunker, args);
        } else if (stdin) {
            if (!args.isEmpty()) {
                throw new CliException("--stdin takes no paths", ExitCodes.USAGE);
            }
            source = StreamSource.ofInput(stdinFilename, chunker, () -> System.in);
        } else {
            if (args.isEmpty()) {
                throw new CliException("nothing to back up: give paths, --stdin or --stdin-from-command", ExitCodes.USAGE);
            }
            source = new FileTreeSource(args.stream().map(Path::of).toList(), chunker);
        }
        BackupOptions options = BackupOptions.defaults().withTags(tags).withNoParent(force);
        if (host != null) {
            options = options.withHostname(host);
        }
        if (threads != null) {
            options = options.withThreads(threads);
        }
        if (parent != null) {
            options = options.withParent(repo.snapshot(parent));
        }
        BackupResult result;
        try (ProgressReporter progress = ProgressReporter.create("backup", root.err, root.quiet || root.json)) {
            result = source.backup(repo, options, progress);
        } finally {
            if (sourceStore != null) {
                sourceStore.close();
            }
        }
        BackupSummary s = result.summary();
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("snapshot", result.snapshot().id().hex());
            m.put("parent", result.snapshot().spec().parent() == null ? null : result.snapshot().spec().parent().hex());
            m.putAll(s.toMap());
            m.put("warning_messages", s.warnings());
            root.printJson(m);
        } else {
            root.out.printf("Files:      %d new, %d changed, %d unmodified%n", s.filesNew(), s.filesChanged(),
                s.filesUnmodified());
            root.out.printf("Dirs:       %d, symlinks: %d%n", s.dirs(), s.symlinks());
            root.out.printf("Added:      %s in %d new blobs (before compression)%n", Format.bytes(s.bytesAdded()),
                s.blobsAdded());
            root.out.printf("Processed:  %d files, %s (%s read) in %s%n", s.files(), Format.bytes(s.bytesTotal()),
                Format.bytes(s.bytesRead()), Format.duration(s.elapsed().toSeconds()));
            if (s.errors() > 0) {
                root.out.printf("Errors:     %d files could not be read (see above)%n", s.errors());
            }
            root.out.println("snapshot " + result.snapshot().id().shortHex() + " saved");
        }
        return s.errors() > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
    }
}
