package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One in-process CLI run on a thread of its own (the common pool has a single worker on a 2-core
 * machine, and runs overlap in these tests), its output readable while it runs.
 */
final class BackgroundCli {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> code = new CompletableFuture<>();
    private final Thread thread;

    BackgroundCli(Map<String, String> env, String... args) {
        LifeboatCli cli = new LifeboatCli(new FormatBackend(), new HashMap<>(env), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        thread = Thread.ofPlatform().name("lifeboat-cli").start(() -> code.complete(cli.execute(args)));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The exit code, waiting at most five minutes. */
    int await() {
        return code.orTimeout(300, TimeUnit.SECONDS).join();
    }

    /** Interrupts the run, as a SIGTERM would (long-running commands such as wal-stream stop cleanly). */
    void interrupt() {
        thread.interrupt();
    }

    /** Interrupts the run and asserts it then exits 0. */
    void stop() {
        interrupt();
        assertThat(await()).as(err() + out()).isZero();
    }
}
