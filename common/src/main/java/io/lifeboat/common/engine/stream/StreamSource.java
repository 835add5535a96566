package io.lifeboat.common.engine.stream;

import io.lifeboat.common.chunk.Chunker;
import io.lifeboat.common.engine.BackupCounters;
import io.lifeboat.common.engine.BackupOptions;
import io.lifeboat.common.engine.BackupResult;
import io.lifeboat.common.engine.BackupSource;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
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
    private static final int STDERR_TAIL = 2048;

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
        String name = command.get(0);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new EngineException("cannot start command '" + name + "': " + e.getMessage(), e);
        }
        StderrTail tail = new StderrTail(process.getErrorStream());
        Thread drain = new Thread(tail, "lifeboat-stderr");
        drain.setDaemon(true);
        drain.start();
        ContentWriter.Stored stored;
        try (InputStream out = process.getInputStream()) {
            stored = writer.write(out, progress);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new EngineException("reading the output of '" + name + "' failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        int code;
        try {
            code = process.waitFor();
            drain.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while waiting for '" + name + "'");
        }
        if (code != 0) {
            String err = tail.text();
            throw new EngineException("command '" + name + "' exited with code " + code + "; nothing was committed"
                + (err.isEmpty() ? "" : ": " + err));
        }
        return stored;
    }

    /** Keeps the last bytes of a stream, for the error message of a failed command. */
    private static final class StderrTail implements Runnable {
        private final InputStream in;
        private final byte[] ring = new byte[STDERR_TAIL];
        private long written;

        StderrTail(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (this) {
                        for (int i = 0; i < n; i++) {
                            ring[(int) (written++ % ring.length)] = buf[i];
                        }
                    }
                }
            } catch (IOException ignored) {
                // The process ended; what was read so far is the tail.
            }
        }

        synchronized String text() {
            int len = (int) Math.min(written, ring.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream(len);
            for (long i = written - len; i < written; i++) {
                out.write(ring[(int) (i % ring.length)]);
            }
            return out.toString(StandardCharsets.UTF_8).strip().replaceAll("\\s*\\R\\s*", " | ");
        }
    }
}
