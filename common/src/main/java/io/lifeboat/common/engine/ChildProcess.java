package io.lifeboat.common.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command whose standard output an engine reads (a dump) or whose standard input it
 * writes (a restore), keeping the tail of its standard error for the error message. Shared by the
 * stream and database engines so that every child process is started, drained and reaped the same way.
 *
 * <p>Secrets: a child gets passwords only through {@code extraEnv}, never on its command line; neither
 * the environment nor the arguments appear in any message built here (only the command's name).
 *
 * <p>Threading: each call is independent; a call blocks until the child has exited.
 */
public final class ChildProcess {
    private static final int STDERR_TAIL = 2048;

    private ChildProcess() {
    }

    /** Reads a child's standard output; may throw {@link IOException} from the stream. */
    @FunctionalInterface
    public interface OutputReader<T> {
        T read(InputStream stdout) throws IOException;
    }

    /** Writes a child's standard input; may throw {@link IOException} from the stream. */
    @FunctionalInterface
    public interface InputWriter {
        void write(OutputStream stdin) throws IOException;
    }

    /**
     * How a child ended.
     *
     * @param value what the reader returned, or null for {@link #writeStdin}
     * @param exitCode the child's exit code
     * @param stderr the last bytes of its standard error (and, for {@link #writeStdin}, its standard
     *     output), lines joined by {@code " | "}
     */
    public record Outcome<T>(T value, int exitCode, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Starts {@code command} with {@code extraEnv} added to this process's environment and hands its
     * standard output to {@code reader} in the calling thread; standard input is inherited.
     *
     * @throws EngineException if the command cannot start, reading fails, or the wait is interrupted
     */
    public static <T> Outcome<T> readStdout(List<String> command, Map<String, String> extraEnv,
            OutputReader<T> reader) {
        try (Running running = startReading(command, extraEnv, name(command))) {
            T value;
            try (InputStream out = running.stdout()) {
                value = reader.read(out);
            } catch (IOException e) {
                throw running.readFailed(e);
            }
            return running.finish(value);
        }
    }

    /**
     * Starts {@code command} (as {@link #readStdout} does) and returns at once, for a caller that reads
     * its standard output elsewhere or later. Close the result: that kills a child that has not exited.
     *
     * @throws EngineException if the command cannot start
     */
    public static Running startReading(List<String> command, Map<String, String> extraEnv) {
        return startReading(command, extraEnv, name(command));
    }

    /** As {@link #startReading(List, Map)}, naming the child {@code name} in messages (a wrapped tool). */
    public static Running startReading(List<String> command, Map<String, String> extraEnv, String name) {
        Process process = start(command, extraEnv, ProcessBuilder.Redirect.INHERIT);
        return new Running(process, name, Tail.drain(process.getErrorStream()));
    }

    /** A started child whose standard output the caller reads ({@link #startReading}). */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final String name;
        private final Tail tail;

        private Running(Process process, String name, Tail tail) {
            this.process = process;
            this.name = name;
            this.tail = tail;
        }

        public InputStream stdout() {
            return process.getInputStream();
        }

        /** Kills the child and says that reading its output failed; throw the result. */
        public EngineException readFailed(IOException e) {
            process.destroyForcibly();
            return new EngineException("reading the output of '" + name + "' failed: " + e.getMessage(), e);
        }

        /**
         * Waits for the child to exit, once its output has been read.
         *
         * @throws EngineException if the wait is interrupted
         */
        public <T> Outcome<T> finish(T value) {
            return new Outcome<>(value, waitFor(process, name, tail), tail.text());
        }

        /** Kills the child unless it has exited. */
        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Starts {@code command} and lets {@code writer} feed its standard input in the calling thread, then
     * closes it. Standard output and error are both kept (tail only). A child that exits early (an
     * error) makes the writer see a broken pipe; that is reported through the exit code and the tail,
     * which say why, rather than as the less useful write error.
     *
     * @throws EngineException if the command cannot start or the wait is interrupted
     */
    public static Outcome<Void> writeStdin(List<String> command, Map<String, String> extraEnv, InputWriter writer) {
        String name = name(command);
        Process process = start(command, extraEnv, ProcessBuilder.Redirect.PIPE, true);
        Tail tail = Tail.drain(process.getInputStream());
        IOException writeError = feed(process, writer);
        int code = waitFor(process, name, tail);
        if (code == 0 && writeError != null) {
            throw new EngineException("writing to '" + name + "' failed: " + writeError.getMessage(), writeError);
        }
        return new Outcome<>(null, code, tail.text());
    }

    /**
     * Writes the child's standard input and closes it; returns the write error (a broken pipe when the
     * child exited early), which the caller weighs against the exit code. Anything else kills the child.
     */
    private static IOException feed(Process process, InputWriter writer) {
        try (OutputStream in = process.getOutputStream()) {
            writer.write(in);
            return null;
        } catch (IOException e) {
            return e;
        } catch (RuntimeException | Error e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /**
     * Feeds a child's standard input from {@code writer} in the calling thread while another thread
     * hands its standard output to {@code reader}. A child may stop reading early (a tool that needs
     * only the head of its input): when it then exits with 0, the broken pipe is not an error.
     *
     * @throws EngineException if the command cannot start, reading its output fails, or the wait is
     *     interrupted
     */
    public static <T> Outcome<T> pipe(List<String> command, Map<String, String> extraEnv, InputWriter writer,
            OutputReader<T> reader) {
        String name = name(command);
        Process process = start(command, extraEnv, ProcessBuilder.Redirect.PIPE);
        Tail tail = Tail.drain(process.getErrorStream());
        java.util.concurrent.CompletableFuture<T> output = new java.util.concurrent.CompletableFuture<>();
        Thread outReader = new Thread(() -> {
            try (InputStream out = process.getInputStream()) {
                output.complete(reader.read(out));
            } catch (IOException | RuntimeException e) {
                output.completeExceptionally(e);
            }
        }, "lifeboat-stdout");
        outReader.setDaemon(true);
        outReader.start();
        IOException writeError = feed(process, writer);
        int code = waitFor(process, name, tail);
        T value;
        try {
            value = output.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while reading the output of '" + name + "'");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new EngineException("reading the output of '" + name + "' failed: " + e.getCause().getMessage(),
                e.getCause());
        }
        if (code != 0 && writeError != null && tail.text().isEmpty()) {
            throw new EngineException("writing to '" + name + "' failed: " + writeError.getMessage(), writeError);
        }
        return new Outcome<>(value, code, tail.text());
    }

    private static Process start(List<String> command, Map<String, String> extraEnv, ProcessBuilder.Redirect stdin) {
        return start(command, extraEnv, stdin, false);
    }

    private static Process start(List<String> command, Map<String, String> extraEnv, ProcessBuilder.Redirect stdin,
            boolean mergeStderr) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(stdin).redirectErrorStream(mergeStderr);
        pb.environment().putAll(extraEnv);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new EngineException("cannot start command '" + name(command) + "': " + e.getMessage(), e);
        }
    }

    private static int waitFor(Process process, String name, Tail tail) {
        try {
            int code = process.waitFor();
            tail.thread.join(TimeUnit.SECONDS.toMillis(5));
            return code;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while waiting for '" + name + "'");
        }
    }

    private static String name(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command given");
        }
        String first = command.get(0);
        return first.substring(first.lastIndexOf('/') + 1);
    }

    /** Keeps the last bytes of a stream, for the error message of a failed command. */
    private static final class Tail implements Runnable {
        private final InputStream in;
        private final byte[] ring = new byte[STDERR_TAIL];
        private long written;
        private Thread thread;

        private Tail(InputStream in) {
            this.in = in;
        }

        static Tail drain(InputStream in) {
            Tail t = new Tail(in);
            t.thread = new Thread(t, "lifeboat-stderr");
            t.thread.setDaemon(true);
            t.thread.start();
            return t;
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
