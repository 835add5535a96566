package io.lifeboat.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;

/**
 * The four Lifeboat services as separate JVMs, started the way {@code dev/services.sh} starts them:
 * {@code java -jar <repo>/<svc>-service/target/quarkus-app/quarkus-run.jar}, configured by environment
 * variables (those of the infra env file when it exists, then a free random port each, JSON logs).
 * Logs go to {@code <repo>/e2e/target/e2e-services/<svc>.log}. Not thread-safe: one test thread drives it.
 */
public final class ServiceStack implements AutoCloseable {
    /** Short names, in start order. */
    public static final List<String> NAMES = List.of("backup", "restore", "catalog", "monitor");

    /** Small heaps and C1 only: four JVMs share two cores with the build, and they only start and answer. */
    private static final List<String> JVM_OPTIONS =
            List.of("-Xms32m", "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Map<String, ServiceProcess> services;

    private ServiceStack(Map<String, ServiceProcess> services) {
        this.services = services;
    }

    /**
     * Starts every service and waits until each is ready. If one fails, the ones started are stopped
     * and the failure (naming the service and its log) is thrown.
     */
    public static ServiceStack start(Path repoRoot) {
        Path logDir = repoRoot.resolve("e2e/target/e2e-services");
        Map<String, String> infraEnv = InfraEnvFile.read(InfraEnvFile.defaultLocation());
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        Set<Integer> ports = new HashSet<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Files.createDirectories(logDir);
            for (String name : NAMES) {
                Path jar = repoRoot.resolve(name + "-service/target/quarkus-app/quarkus-run.jar");
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException(jar + " does not exist: package the services first"
                            + " (./mvnw verify from the repository root builds them before e2e, or 'make build')");
                }
                int port = freePort(ports);
                Map<String, String> env = new HashMap<>(infraEnv);
                env.put("LIFEBOAT_HTTP_HOST", "127.0.0.1");
                env.put("LIFEBOAT_" + name.toUpperCase(Locale.ROOT) + "_PORT", Integer.toString(port));
                env.put("LIFEBOAT_LOG_JSON", "true");
                env.put("LIFEBOAT_SHUTDOWN_TIMEOUT", "5s");
                List<String> command = new ArrayList<>();
                command.add(java);
                command.addAll(JVM_OPTIONS);
                command.add("-jar");
                command.add(jar.toString());
                Path log = logDir.resolve(name + ".log");
                Files.deleteIfExists(log);
                services.put(name, new ServiceProcess(name, port, command, env, log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the service stack under " + logDir, e);
        }
        ServiceStack stack = new ServiceStack(services);
        // A test JVM that dies without closing the stack must not leave four JVMs behind.
        Runtime.getRuntime().addShutdownHook(new Thread(stack::killAll, "lifeboat-e2e-stack-reaper"));
        try {
            services.values().forEach(ServiceProcess::start);
            services.values().forEach(ServiceProcess::awaitReady);
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** The service named {@code name} ({@code backup}, {@code restore}, {@code catalog} or {@code monitor}). */
    public ServiceProcess service(String name) {
        ServiceProcess service = services.get(name.endsWith("-service") ? name.substring(0, name.length() - 8) : name);
        if (service == null) {
            throw new IllegalArgumentException("no service '" + name + "'; known: " + NAMES);
        }
        return service;
    }

    /** All four, in start order. */
    public List<ServiceProcess> services() {
        return List.copyOf(services.values());
    }

    /** Stops every service gracefully (SIGTERM, SIGKILL after a grace period). Idempotent. */
    @Override
    public void close() {
        services.values().forEach(ServiceProcess::stop);
    }

    private void killAll() {
        for (ServiceProcess service : services.values()) {
            if (service.isAlive()) {
                service.kill9();
            }
        }
    }

    /**
     * A port that is free now on loopback and not handed out before. Another program may take it
     * before the service binds; the service then exits and {@link ServiceProcess#awaitReady()} says so.
     */
    private static int freePort(Set<Integer> taken) throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (taken.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    /**
     * The repository root: system property {@code lifeboat.repo.root} (failsafe sets it), else the
     * nearest directory above the working directory that holds {@code dev/find-jdk.sh}.
     */
    public static Path locateRepoRoot() {
        String property = System.getProperty("lifeboat.repo.root");
        if (property != null && !property.isBlank()) {
            Path root = Path.of(property).toAbsolutePath().normalize();
            if (Files.isRegularFile(root.resolve("dev/find-jdk.sh"))) {
                return root;
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("dev/find-jdk.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Lifeboat repository root: set -Dlifeboat.repo.root"
                + " or run from inside the repository (looked for dev/find-jdk.sh above " + Path.of("").toAbsolutePath() + ")");
    }
}
