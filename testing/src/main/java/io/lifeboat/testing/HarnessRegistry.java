package io.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who uses the shared servers that the harness started, across JVMs: parallel builds (other modules,
 * other worktrees) share one set of servers. Each JVM registers a file {@code harness/users/<pid>};
 * servers the harness started are listed in {@code harness/started}. At exit a JVM deregisters, and
 * the last one alive stops the listed servers. Servers started by hand or by {@code make test} are
 * never listed, so never stopped here.
 *
 * <p>Threading: every method is safe to call from many threads and processes (a file lock plus a
 * monitor guard the files).
 */
final class HarnessRegistry {

    private static HarnessRegistry instance;

    private final InfraScript script;
    private final Path dir;
    private final Path started;
    private final Path users;
    private final Path me;
    private boolean registered;

    private HarnessRegistry(InfraScript script, Path infraDir) {
        this.script = script;
        this.dir = infraDir.resolve("harness");
        this.started = dir.resolve("started");
        this.users = dir.resolve("users");
        this.me = users.resolve(Long.toString(ProcessHandle.current().pid()));
    }

    static synchronized HarnessRegistry instance(InfraScript script) {
        if (instance == null) {
            instance = new HarnessRegistry(script, InfraScript.infraDir());
        }
        return instance;
    }

    /** Runs {@code action} holding the cross-process lock. */
    synchronized void withLock(Runnable action) {
        try {
            Files.createDirectories(users);
            try (FileChannel channel = FileChannel.open(dir.resolve("lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                action.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir.resolve("lock"), e);
        }
    }

    /** Registers this JVM as a user (once) and arranges the deregistration at exit. Call under the lock. */
    void registerThisJvm() {
        if (registered) {
            return;
        }
        try {
            Files.writeString(me, "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + me, e);
        }
        registered = true;
        Runtime.getRuntime().addShutdownHook(new Thread(this::deregister, "lifeboat-infra-down"));
    }

    /** Adds servers the harness has just started to the shared list. Call under the lock. */
    void recordStarted(List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        Set<String> all = new LinkedHashSet<>(readStarted());
        all.addAll(names);
        try {
            Files.write(started, all);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + started, e);
        }
    }

    private void deregister() {
        try {
            withLock(() -> {
                try {
                    Files.deleteIfExists(me);
                    if (liveUsers() > 0) {
                        return;
                    }
                    List<String> names = readStarted();
                    if (!names.isEmpty()) {
                        List<String> args = new ArrayList<>();
                        args.add("down");
                        args.addAll(names);
                        script.run(args.toArray(String[]::new));
                    }
                    Files.deleteIfExists(started);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (RuntimeException e) {
            System.err.println("lifeboat: could not stop the servers the test harness started: " + e.getMessage());
        }
    }

    /** Counts registered JVMs that still run, deleting the files of those that died without deregistering. */
    private int liveUsers() throws IOException {
        int live = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(users)) {
            for (Path file : files) {
                long pid;
                try {
                    pid = Long.parseLong(file.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    live++;
                } else {
                    Files.deleteIfExists(file);
                }
            }
        }
        return live;
    }

    private List<String> readStarted() {
        try {
            if (!Files.exists(started)) {
                return List.of();
            }
            return Files.readAllLines(started).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + started, e);
        }
    }
}
