package io.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code dev/infra.sh} of the repository and reads what it writes. The script is the single
 * place that knows how each server is fetched, started and checked; this class only calls it.
 */
final class InfraScript {

    private static final long TIMEOUT_MINUTES = 20;

    private final Path repoRoot;

    InfraScript(Path repoRoot) {
        this.repoRoot = repoRoot;
    }

    /** Finds the repository: system property {@code lifeboat.repo.root}, else the nearest parent of the working dir holding {@code dev/infra.sh}. */
    static InfraScript locate() {
        String property = System.getProperty("lifeboat.repo.root");
        if (property != null && !property.isBlank() && Files.isRegularFile(Path.of(property, "dev", "infra.sh"))) {
            return new InfraScript(Path.of(property).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("dev/infra.sh"))) {
                return new InfraScript(dir);
            }
        }
        throw new IllegalStateException("cannot find dev/infra.sh above " + Path.of("").toAbsolutePath()
                + "; set system property lifeboat.repo.root to the repository root");
    }

    Path repoRoot() {
        return repoRoot;
    }

    /** The directory holding the shared servers' state and their env file, as the script computes it. */
    static Path infraDir() {
        String dir = System.getenv("LIFEBOAT_INFRA_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "lifeboat", "infra");
    }

    /** Names of the shared servers whose state is {@code running}, per {@code dev/infra.sh status}. */
    List<String> running() {
        List<String> names = new ArrayList<>();
        for (String line : run("status").split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 2 && cols[1].equals("running")) {
                names.add(cols[0]);
            }
        }
        return names;
    }

    /**
     * Runs the script with {@code args} and returns the servers it started (not those it found running),
     * as it reports them through {@code LIFEBOAT_INFRA_STARTED_FILE}. When the script fails, the
     * exception carries those names as well, in {@link StartFailedException#started()}.
     */
    List<String> runRecordingStarted(String... args) {
        try {
            Path file = Files.createTempFile("lifeboat-infra", ".started");
            try {
                try {
                    run(Map.of("LIFEBOAT_INFRA_STARTED_FILE", file.toString()), args);
                } catch (IllegalStateException e) {
                    throw new StartFailedException(e.getMessage(), readLines(file), e);
                }
                return readLines(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run dev/infra.sh " + String.join(" ", args), e);
        }
    }

    private static List<String> readLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** {@code dev/infra.sh up} failed; {@link #started()} names the servers it had started all the same. */
    static final class StartFailedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final transient List<String> started;

        StartFailedException(String message, List<String> started, Throwable cause) {
            super(message, cause);
            this.started = List.copyOf(started);
        }

        List<String> started() {
            return started;
        }
    }

    String run(String... args) {
        return run(Map.of(), args);
    }

    /**
     * Runs the script with {@code args} (and extra environment variables) and returns its standard output. Fails with the script's last
     * error line (it names the server and its log) when it exits non-zero.
     */
    String run(Map<String, String> extraEnv, String... args) {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(repoRoot.resolve("dev/infra.sh").toString());
        command.addAll(List.of(args));
        try {
            Path err = Files.createTempFile("lifeboat-infra", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command);
                builder.environment().putAll(extraEnv);
                Process process = builder
                        .directory(repoRoot.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectError(err.toFile())
                        .start();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("dev/infra.sh " + String.join(" ", args) + " did not finish in "
                            + TIMEOUT_MINUTES + " minutes");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("dev/infra.sh " + String.join(" ", args) + " failed: "
                            + lastLine(Files.readString(err, StandardCharsets.UTF_8)));
                }
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run dev/infra.sh " + String.join(" ", args), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running dev/infra.sh", e);
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 || lines[lines.length - 1].isBlank() ? "(no message)" : lines[lines.length - 1];
    }

    /** Parses {@code export NAME=value} lines (what the script prints and writes); other lines are ignored. */
    static Map<String, String> parseEnv(String text) {
        Map<String, String> env = new HashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            } else {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1);
            if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
                    || value.startsWith("\"") && value.endsWith("\""))) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(line.substring(0, eq), value);
        }
        return env;
    }
}
