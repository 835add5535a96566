package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The training run of the launcher's JDK AOT cache ({@code dev/aot-train.sh}, docs/development.md):
 * runs the everyday commands in this one JVM, in-process, on a scratch repository and a small
 * generated tree, so the JVM records which classes they load and link and how their methods behave.
 * It trains the cache only; what the commands print is not checked here (the command tests do
 * that), but a command that fails stops the training with exit code 1, so a broken training run
 * is never mistaken for a good cache.
 *
 * <p>Usage: {@code AotTraining SCRATCH_DIR} (an empty or missing directory; it is left behind for
 * the caller to remove).
 */
public final class AotTraining {

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AotTraining SCRATCH_DIR");
            System.exit(ExitCodes.USAGE);
        }
        try {
            train(Path.of(args[0]).toAbsolutePath(), System.getenv(), System.out);
        } catch (IllegalStateException e) {
            System.err.println("aot training: " + e.getMessage());
            System.exit(ExitCodes.FAILURE);
        }
    }

    /**
     * Runs the training commands in {@code scratch}, with {@code baseEnv} minus any LIFEBOAT_
     * variable, printing one timing line per command to {@code log}.
     *
     * @throws IllegalStateException when a command fails, with its standard error
     */
    static void train(Path scratch, Map<String, String> baseEnv, PrintStream log) throws IOException {
        Path data = scratch.resolve("data");
        Path repo = scratch.resolve("repo");
        Path restored = scratch.resolve("restored");
        generate(data, new Random(1));

        Map<String, String> env = new HashMap<>(baseEnv);
        env.keySet().removeIf(k -> k.startsWith("LIFEBOAT_"));
        env.put("LIFEBOAT_REPOSITORY", repo.toString());
        env.put("LIFEBOAT_PASSWORD", "aot-training-not-a-secret");
        run(log, env, "--version");
        run(log, env, "init");
        run(log, env, "backup", data.toString());
        run(log, env, "snapshots");
        run(log, env, "snapshots", "--json");
        run(log, env, "ls", "latest");
        run(log, env, "restore", "latest", "--target", restored.toString());
        run(log, env, "check", "--read-data");
        mutate(data, new Random(2));
        run(log, env, "backup", data.toString());
        JsonNode snapshots = new ObjectMapper().readTree(run(log, env, "snapshots", "--json"));
        run(log, env, "diff", snapshots.get(0).get("id").asText(), snapshots.get(1).get("id").asText());
        run(log, env, "stats");
        // One process on a scratch repository: no other run to wait for at the maintenance lease.
        run(log, env, "forget", "--keep-last", "1", "--prune", "--grace", "0s", "--lease-settle", "0s");
        run(log, env, "prune", "--grace", "0s", "--lease-settle", "0s");
        run(log, env, "check");
    }

    /** Runs one command in this JVM and returns its standard output. */
    private static String run(PrintStream log, Map<String, String> env, String... args) {
        long t0 = System.nanoTime();
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(outBytes, false, StandardCharsets.UTF_8);
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        int code = new LifeboatCli(new FormatBackend(env), Map.copyOf(env), out, err).execute(args);
        if (code != 0) {
            throw new IllegalStateException("lifeboat " + String.join(" ", args) + " exited with " + code + ": "
                + errBytes.toString(StandardCharsets.UTF_8).strip());
        }
        out.flush();
        log.printf("aot training: lifeboat %s: %d ms%n", String.join(" ", args), (System.nanoTime() - t0) / 1_000_000);
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * About 10 MiB in 121 files: text that compresses, random bytes that do not, a copy that
     * deduplicates, and two files of 3 MiB so chunking cuts inside a file.
     */
    static void generate(Path dir, Random random) throws IOException {
        for (int i = 0; i < 120; i++) {
            Path file = dir.resolve("d" + (i % 6)).resolve("f" + i + (i % 3 == 0 ? ".log" : ".bin"));
            Files.createDirectories(file.getParent());
            int size = i % 60 == 0 ? 3 << 20 : 64 + random.nextInt(64 << 10);
            Files.write(file, i % 3 == 0 ? text(random, size) : bytes(random, size));
        }
        Files.copy(dir.resolve("d1").resolve("f1.bin"), dir.resolve("copy-of-f1.bin"));
    }

    /** Changes a few files, removes one and adds one, as a day's work would. */
    static void mutate(Path dir, Random random) throws IOException {
        Files.write(dir.resolve("d2").resolve("f2.bin"), bytes(random, 4096),
            StandardOpenOption.APPEND);
        Files.delete(dir.resolve("d4").resolve("f4.bin"));
        Files.write(dir.resolve("d5").resolve("new.log"), text(random, 100_000));
    }

    private static byte[] bytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private static byte[] text(Random random, int size) {
        String[] words = {"INFO", "WARN", "request", "served", "in", "ms", "user", "backup", "GET", "/api/v1"};
        StringBuilder s = new StringBuilder(size + 16);
        while (s.length() < size) {
            s.append(words[random.nextInt(words.length)]).append(random.nextInt(1000) == 0 ? '\n' : ' ');
            if (random.nextInt(12) == 0) {
                s.append(random.nextInt(10_000)).append('\n');
            }
        }
        return s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }
}
