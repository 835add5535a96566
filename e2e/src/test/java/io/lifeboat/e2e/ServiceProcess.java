package io.lifeboat.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Lifeboat service running as its own JVM: {@code java -jar <svc>/target/quarkus-app/quarkus-run.jar}
 * with its own port and log file. The port stays the same across restarts, so {@link #baseUri()} does
 * not change. Methods are meant for the test thread; state changes are not synchronised.
 */
public final class ServiceProcess {
    /** How long a service may take from process start to a 200 on {@code /q/health/ready}. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** How long a SIGTERM may take before the process is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final String name;
    private final int port;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private Process process;

    ServiceProcess(String name, int port, List<String> command, Map<String, String> environment, Path logFile) {
        this.name = name;
        this.port = port;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
    }

    /** The short name, e.g. {@code backup}. */
    public String name() {
        return name;
    }

    /** The name the service reports in health data and metrics, e.g. {@code backup-service}. */
    public String serviceName() {
        return name + "-service";
    }

    /** {@code http://127.0.0.1:<port>/}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public int port() {
        return port;
    }

    /** Where the process's stdout and stderr go (appended across restarts). */
    public Path logFile() {
        return logFile;
    }

    /** The OS process id of the current JVM; throws if it was never started. */
    public long pid() {
        return current().pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** GET {@code path} (relative to {@link #baseUri()}); see {@link HttpProbe.Answer}. */
    public HttpProbe.Answer get(String path) {
        return HttpProbe.get(baseUri().resolve(path.startsWith("/") ? path.substring(1) : path));
    }

    /** Starts the JVM; does not wait for it to be ready. Throws if it is already running. */
    void start() {
        if (isAlive()) {
            throw new IllegalStateException(serviceName() + " is already running (pid " + process.pid() + ")");
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
            process.getOutputStream().close(); // a service reads no input: give it end-of-file
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + serviceName() + ": " + command, e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200; fails at once if the process exits meanwhile. */
    public void awaitReady() {
        await("readiness of " + serviceName() + " (log: " + logFile + ")")
                .atMost(READY_TIMEOUT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!isAlive()) {
                        throw new IllegalStateException(serviceName() + " exited with "
                                + (process == null ? "no process" : "status " + process.exitValue())
                                + " before it was ready; see " + logFile);
                    }
                    return get("/q/health/ready").status() == 200;
                });
    }

    /** A real {@code kill -9}: no shutdown hooks, no graceful shutdown. Returns once the process is gone. */
    public void kill9() {
        Process p = current();
        p.toHandle().destroyForcibly();
        awaitExit(p, STOP_GRACE);
    }

    /** SIGTERM, then SIGKILL if the JVM has not finished its graceful shutdown within the grace period. */
    public void stop() {
        if (!isAlive()) {
            return;
        }
        Process p = process;
        p.destroy();
        try {
            p.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            p.toHandle().destroyForcibly();
            awaitExit(p, STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.toHandle().destroyForcibly();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for " + serviceName() + " to exit failed", e);
        }
    }

    /** Stops the service if it runs (gracefully) and starts a new JVM on the same port; call {@link #awaitReady()} next. */
    public void restart() {
        stop();
        start();
    }

    private Process current() {
        if (process == null) {
            throw new IllegalStateException(serviceName() + " was never started");
        }
        return process;
    }

    private void awaitExit(Process p, Duration timeout) {
        try {
            p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(serviceName() + " (pid " + p.pid() + ") did not exit after a kill", e);
        }
    }

    @Override
    public String toString() {
        return serviceName() + " on " + baseUri();
    }
}
