package io.lifeboat.common.engine.postgres.physical;

import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Serves WAL to a recovering server from the running {@code restore-pitr} process, so recovery does
 * not start a JVM and open the repository for every file it asks for. {@code restore_command} runs a
 * small shell script that drops {@code <name>.want} into a spool directory; this server answers with
 * {@code <name>} (the file, which the script moves to {@code %p}), {@code <name>.missing} (exit 1) or
 * {@code <name>.error} (exit 126: abort recovery). After a segment is served, the next ones on the same
 * timeline are fetched ahead in the background. When no server is serving (the spool's
 * {@code .serving} marker is absent, or nothing answers within a minute), the script falls back to
 * {@code lifeboat wal-fetch}, so the restored cluster keeps a working {@code restore_command}.
 *
 * <p>Threading: one polling thread plus {@value #PREFETCH} fetch threads; {@link #close} stops them.
 */
public final class WalSpoolServer implements AutoCloseable {
    static final int PREFETCH = 2;
    static final int AHEAD = 4;

    private final WalArchive archive;
    private final Path spool;
    private final UserPrincipal owner;
    private final ExecutorService fetchers = Executors.newFixedThreadPool(PREFETCH, r -> {
        Thread t = new Thread(r, "lifeboat-wal-prefetch");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<Optional<byte[]>>> ahead = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean closed;

    private WalSpoolServer(WalArchive archive, Path spool, UserPrincipal owner) {
        this.archive = archive;
        this.spool = spool;
        this.owner = owner;
        this.poller = new Thread(this::loop, "lifeboat-wal-spool");
        this.poller.setDaemon(true);
    }

    /**
     * Creates the spool in {@code dataDir} and the script PostgreSQL's {@code restore_command} runs, and
     * starts serving.
     *
     * @param fallback the shell command (already quoted) the script runs when nobody serves, with
     *     {@code "$1"} and {@code "$2"} standing for {@code %f} and {@code %p}
     * @param osUser the server's user (owns the spool), or null for the current user
     * @return the server; {@link #restoreCommand()} is the value for {@code restore_command}
     */
    public static WalSpoolServer start(WalArchive archive, Path dataDir, String fallback, String osUser) {
        Path spool = dataDir.resolve("lifeboat-wal-spool");
        try {
            UserPrincipal owner = osUser == null ? null
                : dataDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser);
            Files.createDirectories(spool);
            Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
            Path script = dataDir.resolve("lifeboat-restore-command.sh");
            Files.writeString(script, script(spool, fallback), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            WalSpoolServer s = new WalSpoolServer(archive, spool, owner);
            s.own(spool);
            s.own(script);
            Files.writeString(spool.resolve(".serving"), Long.toString(ProcessHandle.current().pid()));
            s.poller.start();
            return s;
        } catch (IOException e) {
            throw new EngineException("cannot set up the WAL spool in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The {@code restore_command} value: the script with PostgreSQL's {@code %f %p}. */
    public String restoreCommand() {
        return "'" + spool.getParent().resolve("lifeboat-restore-command.sh").toString().replace("'", "'\"'\"'") + "' %f %p";
    }

    static String script(Path spool, String fallback) {
        String d = "'" + spool.toString().replace("'", "'\"'\"'") + "'";
        return "#!/bin/sh\n"
            + "# restore_command of a cluster restored by lifeboat restore-pitr: asks the running restore for the WAL file\n"
            + "# (spool " + spool.getFileName() + "), else runs lifeboat wal-fetch. Arguments: %f %p.\n"
            + "d=" + d + "\n"
            + "f=\"$1\"; p=\"$2\"\n"
            + "case \"$f\" in */*|.*|'') exit 1 ;; esac\n"
            + "if [ -f \"$d/.serving\" ]; then\n"
            // An empty request needs no rename to appear whole: the shell's own redirection spares a mv process.
            + "  : > \"$d/$f.want\" || exit 126\n"
            + "  i=0\n"
            + "  while [ $i -lt 6000 ]; do\n"
            + "    if [ -f \"$d/$f\" ]; then mv \"$d/$f\" \"$p\" && exit 0; exit 126; fi\n"
            + "    if [ -f \"$d/$f.missing\" ]; then rm -f \"$d/$f.missing\"; exit 1; fi\n"
            + "    if [ -f \"$d/$f.error\" ]; then cat \"$d/$f.error\" >&2; rm -f \"$d/$f.error\"; exit 126; fi\n"
            + "    [ -f \"$d/.serving\" ] || break\n"
            + "    sleep 0.01; i=$((i + 1))\n"
            + "  done\n"
            + "  rm -f \"$d/$f.want\"\n"
            + "fi\n"
            + "exec " + fallback + "\n";
    }

    private void loop() {
        while (!closed) {
            try (Stream<Path> s = Files.list(spool)) {
                List<Path> wants = s.filter(p -> p.getFileName().toString().endsWith(".want")).toList();
                for (Path w : wants) {
                    serve(w);
                }
            } catch (IOException | RuntimeException e) {
                // keep serving; a request that failed gets its .error answer in serve()
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void serve(Path want) throws IOException {
        String n = want.getFileName().toString();
        String name = n.substring(0, n.length() - ".want".length());
        Files.deleteIfExists(want);
        if (WalNames.kindOf(name) == null) {
            answer(name + ".missing", new byte[0]);
            return;
        }
        Optional<byte[]> data;
        try {
            CompletableFuture<Optional<byte[]>> pre = ahead.remove(name);
            data = pre != null ? pre.join() : archive.fetch(name);
        } catch (RuntimeException e) {
            String msg = e.getCause() != null && e instanceof java.util.concurrent.CompletionException ? e.getCause().getMessage() : e.getMessage();
            answer(name + ".error", ("lifeboat: cannot read " + name + " from the WAL archive: " + msg + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (data.isEmpty()) {
            answer(name + ".missing", new byte[0]);
            return;
        }
        answer(name, data.get());
        if (WalNames.isSegment(name)) {
            prefetchAfter(name);
        }
    }

    private void prefetchAfter(String segment) {
        int tli = WalNames.timelineOf(segment);
        long n = WalNames.segmentNumber(segment, archive.segmentSize());
        ahead.keySet().removeIf(k -> WalNames.isSegment(k) && WalNames.segmentNumber(k, archive.segmentSize()) <= n);
        for (int i = 1; i <= AHEAD; i++) {
            String next = WalNames.segmentName(tli, n + i, archive.segmentSize());
            ahead.computeIfAbsent(next, k -> CompletableFuture.supplyAsync(() -> archive.fetch(k), fetchers));
        }
    }

    private void answer(String fileName, byte[] content) throws IOException {
        Path tmp = spool.resolve(".tmp-" + fileName);
        Files.write(tmp, content);
        own(tmp);
        Files.move(tmp, spool.resolve(fileName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void own(Path p) throws IOException {
        if (owner != null) {
            Files.setOwner(p, owner);
        }
    }

    /** Stops serving (the script then falls back to wal-fetch) and removes the spool. */
    @Override
    public void close() {
        closed = true;
        poller.interrupt();
        fetchers.shutdownNow();
        try {
            poller.join(2000);
            Files.deleteIfExists(spool.resolve(".serving"));
            try (Stream<Path> s = Files.walk(spool)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // leftovers in the spool are harmless
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
