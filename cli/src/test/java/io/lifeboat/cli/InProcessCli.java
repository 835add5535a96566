package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Runs the CLI in this JVM with the production backend, an environment of the test's choosing, and
 * a hook that wraps every storage adapter (to inject faults or count calls). Safe to run commands
 * from several threads: each run has its own output buffers.
 */
final class InProcessCli {
    final Map<String, String> env = new HashMap<>();
    private final UnaryOperator<ObjectStore> adapters;

    InProcessCli(UnaryOperator<ObjectStore> adapters) {
        this.adapters = adapters;
    }

    /** Exit code and output of one command. */
    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    Result run(String... args) {
        return execute(new FormatBackend(env, adapters), Map.copyOf(env), args);
    }

    /**
     * One command with the given backend and environment (used as given, so a test may change it
     * between runs), its output captured in memory: the one place tests run the CLI in-process.
     */
    static Result execute(RepositoryBackend backend, Map<String, String> env, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = new LifeboatCli(backend, env, new PrintStream(o, true, StandardCharsets.UTF_8),
            new PrintStream(e, true, StandardCharsets.UTF_8)).execute(args);
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /**
     * Initializes a test repository (password {@code pw}) in {@code dir} and points {@code env} at it
     * (LIFEBOAT_REPOSITORY, LIFEBOAT_PASSWORD); returns {@code dir}.
     */
    static Path localRepository(Path dir, Map<String, String> env) {
        Repositories.init(new LocalObjectStore(dir), "pw".toCharArray(), InitOptions.forTests()).close();
        env.put("LIFEBOAT_REPOSITORY", "local:" + dir);
        env.put("LIFEBOAT_PASSWORD", "pw");
        return dir;
    }

    /**
     * A tree of {@code files} random files of up to {@code maxSize} bytes in two levels, with one
     * file repeated (so dedup within the backup is exercised); returns the total size.
     */
    static long randomTree(Path dir, long seed, int files, int maxSize) throws IOException {
        Files.createDirectories(dir.resolve("a/b"));
        Random r = new Random(seed);
        long total = 0;
        byte[] repeated = null;
        for (int i = 0; i < files; i++) {
            byte[] b = new byte[r.nextInt(maxSize)];
            r.nextBytes(b);
            if (i == 1) {
                repeated = b;
            } else if (i % 10 == 9) {
                b = repeated;
            }
            Path f = dir.resolve(switch (i % 3) {
                case 0 -> "f" + i;
                case 1 -> "a/f" + i;
                default -> "a/b/f" + i;
            });
            Files.write(f, b);
            total += b.length;
        }
        return total;
    }
}
