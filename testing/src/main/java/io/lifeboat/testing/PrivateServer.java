package io.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A private instance of one local server, in its own directory on its own free ports, for tests that
 * stop, kill or restart a server. The ports are chosen once and kept in {@code dir/ports}, so
 * {@link #restart()} brings it back on the same endpoint with its data.
 *
 * <p>Threading: not for concurrent use; one test owns an instance.
 */
public final class PrivateServer implements AutoCloseable {

    private final InfraScript script;
    private final String server;
    private final Path dir;
    private Map<String, String> env;

    private PrivateServer(InfraScript script, String server, Path dir, Map<String, String> env) {
        this.script = script;
        this.server = server;
        this.dir = dir;
        this.env = env;
    }

    static PrivateServer start(InfraScript script, String server, Path dir) {
        Path abs = dir.toAbsolutePath();
        Map<String, String> env = InfraScript.parseEnv(script.run("start-private", server, abs.toString()));
        return new PrivateServer(script, server, abs, env);
    }

    /** The server's variables, named like the shared one's ({@code LIFEBOAT_S3_ENDPOINT}, ...). */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** The value of {@code name}; fails if the server did not set it. */
    public String get(String name) {
        String value = env.get(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set by the private " + server);
        }
        return value;
    }

    public Path dir() {
        return dir;
    }

    /** Stops the server; its data stays. Idempotent. */
    public void stop() {
        script.run("stop-private", server, dir.toString());
    }

    /**
     * Kills the server at once with SIGKILL, as a crash or a pulled plug would: no shutdown, open
     * connections reset. Its data stays; {@link #restart()} brings it back. Idempotent.
     */
    public void kill() {
        List<Path> pidFiles;
        try (Stream<Path> files = Files.list(dir)) {
            pidFiles = files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        for (Path f : pidFiles) {
            long pid;
            try {
                pid = Long.parseLong(Files.readString(f).strip());
            } catch (IOException | NumberFormatException e) {
                continue;
            }
            ProcessHandle.of(pid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                try {
                    p.onExit().get(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while killing " + this, e);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("process " + pid + " of " + this + " did not die", e);
                }
            });
        }
    }

    /** Starts it again on the same ports with the same data (a no-op when it runs). */
    public void restart() {
        env = InfraScript.parseEnv(script.run("start-private", server, dir.toString()));
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "PrivateServer[" + server + " in " + dir + "]";
    }
}
