package io.lifeboat.common.engine.stream;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.engine.BackupCounters;
import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.BackupSource;
import io.lifeboat.common.engine.ChildProcess;
import io.lifeboat.common.engine.ContentWriter;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.NodeType;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.Tree;
import io.lifeboat.common.engine.TreeNames;
import io.lifeboat.common.engine.TreeNode;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
import io.lifeboat.common.repository.SnapshotSpec;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Backs up one byte stream as a snapshot of source type {@value #SOURCE_TYPE} whose root tree holds
 * one file node: standard input, or the standard output of a command started here.
 *
 * <p>A command that exits non-zero fails the backup and nothing is committed; the error message
 * carries the command's name, exit code and the last lines of its standard error (never its
 * environment, which may hold passwords). The stream is read and chunked in the calling thread while
 * {@link BackupOptions#threads} savers store chunks, so memory stays bounded whatever its length.
 */
public final class StreamSource implements BackupSource {
    public static final String SOURCE_TYPE = "stream";

    private final String filename;
    private final Chunker chunker;
    private final Supplier<InputStream> stdin;
    private final List<String> command;

    private StreamSource(String filename, Chunker chunker, Supplier<InputStream> stdin, List<String> command) {
        if (!TreeNames.isSafe(filename)) {
            throw new IllegalArgumentException("stream file name must be a plain name, got '" + filename + "'");
        }
        this.filename = filename;
        this.chunker = Objects.requireNonNull(chunker, "chunker");
        this.stdin = stdin;
        this.command = command;
    }

    /** Backs up whatever {@code in} yields (for example {@code System.in}). */
    public static StreamSource ofInput(String filename, Chunker chunker, Supplier<InputStream> in) {
        return new StreamSource(filename, chunker, in, null);
    }

    /** Starts {@code command} at backup time and backs up its standard output. */
    public static StreamSource ofCommand(String filename, Chunker chunker, List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command given");
        }
        return new StreamSource(filename, chunker, null, List.copyOf(command));
    }

    @Override
    public String sourceType() {
        return SOURCE_TYPE;
    }

    @Override
    public List<String> paths() {
        return List.of(filename);
    }

    @Override
    public BackupResult backup(Repository repository, BackupOptions options, ProgressListener progress) {
        Instant start = Instant.now();
        BackupCounters counters = new BackupCounters();
        progress.itemStarted(filename);
        ContentWriter.Stored stored;
        BlobId root;
        try (ContentWriter writer = new ContentWriter(repository, chunker, counters, options.threads(),
                options.threads() * 2)) {
            stored = command == null ? readInput(writer, progress) : runCommand(writer, progress);
            root = writer.saveTree(Tree.of(List.of(fileNode(stored))));
        }
        counters.filesNew.incrementAndGet();
        counters.bytesTotal.addAndGet(stored.size());
        progress.itemDone(filename, stored.size(), true);
        var summary = counters.summary();
        Map<String, String> labels = new LinkedHashMap<>(options.labels());
        if (command != null) {
            labels.put("command", command.get(0));
        }
        Snapshot snapshot = repository.commitSnapshot(new SnapshotSpec(SOURCE_TYPE, root, options.hostname(),
            options.username(), paths(), options.tags(), null, start, summary.toMap(), labels));
        return new BackupResult(snapshot, summary);
    }

    private TreeNode fileNode(ContentWriter.Stored stored) {
        return TreeNode.builder(filename, NodeType.FILE).mode(0600).mtimeNs(System.currentTimeMillis() * 1_000_000L)
            .size(stored.size()).content(stored.content()).build();
    }

    private ContentWriter.Stored readInput(ContentWriter writer, ProgressListener progress) {
        try (InputStream in = stdin.get()) {
            return writer.write(in, progress);
        } catch (IOException e) {
            throw new EngineException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    private ContentWriter.Stored runCommand(ContentWriter writer, ProgressListener progress) {
        ChildProcess.Outcome<ContentWriter.Stored> out = ChildProcess.readStdout(command, Map.of(),
            stdout -> writer.write(stdout, progress));
        if (!out.ok()) {
            throw new EngineException("command '" + command.get(0) + "' exited with code " + out.exitCode()
                + "; nothing was committed" + (out.stderr().isEmpty() ? "" : ": " + out.stderr()));
        }
        return out.value();
    }
}
