package io.lifeboat.common.engine.postgres.physical;

import io.lifeboat.common.engine.ChildProcess;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.engine.postgres.PgTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts and stops one PostgreSQL data directory with {@code pg_ctl}, as the operating-system user
 * that must own it. PostgreSQL refuses to run as root, so when Lifeboat runs as root every server
 * command runs through {@code runuser -u <osUser>} (the extracted data directory is given to that user).
 *
 * <p>Not thread-safe; one restore owns an instance.
 */
public final class PgServer {
    private final PgTools tools;
    private final Path dataDir;
    private final String osUser;
    private final Map<String, String> env;

    /**
     * @param osUser the user the server runs as, or null to run as the current user
     * @param env extra environment for the server (the restore command's repository settings)
     */
    public PgServer(PgTools tools, Path dataDir, String osUser, Map<String, String> env) {
        this.tools = tools;
        this.dataDir = dataDir.toAbsolutePath();
        this.osUser = osUser;
        this.env = Map.copyOf(env);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The server log {@link #start} writes (standard error of the postmaster). */
    public Path logFile() {
        return dataDir.resolve("lifeboat-recovery.log");
    }

    /** {@code command} prefixed to run as the server's user. */
    List<String> asOwner(List<String> command) {
        if (osUser == null) {
            return command;
        }
        List<String> c = new ArrayList<>(List.of("runuser", "-u", osUser, "--"));
        c.addAll(command);
        return c;
    }

    /** Starts the server in the background, waiting at most {@code timeout} for it to accept connections. */
    public void start(Duration timeout) {
        ChildProcess.Outcome<String> out = run(List.of(tools.tool("pg_ctl"), "start", "-D", dataDir.toString(), "-l", logFile().toString(),
            "-w", "-t", Long.toString(Math.max(1, timeout.toSeconds()))));
        if (!out.ok()) {
            throw new EngineException("the restored server did not start: " + logTail(5));
        }
    }

    /**
     * True when the postmaster's lock file says it accepts connections (status {@code ready}, or
     * {@code standby} during recovery with hot standby): the check {@code pg_ctl start -w} makes every
     * 100 ms. The postmaster writes that status only after it has bound its port, so a connection made
     * after it reaches this server and no other that may hold the port. A stale file of a crashed server
     * can say so too; a connection then fails and {@link #running} tells.
     */
    public boolean acceptsConnections() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
            if (lines.size() < 8) {
                return false;
            }
            String status = lines.get(7).strip();
            return status.equals("ready") || status.equals("standby");
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** Stops the server ({@code fast}: rolls back open transactions); a stopped server is fine. */
    public void stop() {
        if (running()) {
            ChildProcess.Outcome<String> out = run(List.of(tools.tool("pg_ctl"), "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60"));
            if (!out.ok() && running()) {
                throw new EngineException("cannot stop the server in " + dataDir + ": " + out.stderr().strip());
            }
        }
    }

    /** True while a postmaster runs on this data directory. */
    public boolean running() {
        return run(List.of(tools.tool("pg_ctl"), "status", "-D", dataDir.toString())).exitCode() == 0;
    }

    /** The last {@code n} lines of the server log, joined with " / ", for error messages. */
    public String logTail(int n) {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(no server log at " + logFile() + ")";
        }
    }

    /** The whole server log, or empty. */
    public String log() {
        try {
            return Files.readString(logFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    ChildProcess.Outcome<String> run(List<String> command) {
        return ChildProcess.readStdout(asOwner(command), env, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Makes {@code dir} belong to the server's user (a no-op without one). */
    void chown(Path dir) {
        if (osUser == null) {
            return;
        }
        ChildProcess.Outcome<String> out = ChildProcess.readStdout(List.of("chown", osUser + ":", dir.toString()), Map.of(),
            in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        if (!out.ok()) {
            throw new EngineException("cannot give " + dir + " to user " + osUser + ": " + out.stderr().strip());
        }
    }
}
