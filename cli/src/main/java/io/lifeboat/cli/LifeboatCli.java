package io.lifeboat.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.WrongPasswordException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code lifeboat} command: back up, list, restore and check with nothing but the repository
 * and its password. Errors are one line on standard error ({@code --debug} adds the stack trace)
 * and a non-zero exit code (see {@link ExitCodes}).
 */
@Command(name = "lifeboat", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
    versionProvider = LifeboatCli.Version.class,
    description = "Encrypted, deduplicating backups you can restore with nothing but the repository.",
    subcommands = {InitCommand.class, BackupCommand.class, SnapshotsCommand.class, LsCommand.class,
        RestoreCommand.class, BackupPostgresCommand.class, RestorePostgresCommand.class, DumpCommand.class,
        DiffCommand.class, CheckCommand.class, StatsCommand.class,
        ForgetCommand.class, PruneCommand.class, HoldCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure", "2:usage error (bad flags, no repository or password given)",
        "3:backup committed, but some files could not be read", "10:no repository at the location",
        "12:wrong password"},
    footer = {"", "Environment: LIFEBOAT_REPOSITORY, LIFEBOAT_PASSWORD, LIFEBOAT_PASSWORD_FILE, LIFEBOAT_CONFIG.",
        "Flags win over the environment, which wins over the config file (properties: repository=, password-file=)."})
public final class LifeboatCli implements Runnable {

    @Option(names = {"-r", "--repo"}, scope = ScopeType.INHERIT, paramLabel = "LOCATION",
        description = "Repository: a directory, local:/path or s3:bucket/prefix (env LIFEBOAT_REPOSITORY).")
    String repo;

    @Option(names = "--password-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
        description = "File whose first line is the password (env LIFEBOAT_PASSWORD_FILE).")
    Path passwordFile;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
        description = "Properties file with repository= and password-file= (env LIFEBOAT_CONFIG).")
    Path config;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print machine-readable JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "No progress output.")
    boolean quiet;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean debug;

    final RepositoryBackend backend;
    final Map<String, String> env;
    final PrintStream out;
    final PrintStream err;
    private ObjectMapper mapper;

    LifeboatCli(RepositoryBackend backend, Map<String, String> env, PrintStream out, PrintStream err) {
        this.backend = backend;
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        // The AWS SDK logs through SLF4J; the CLI ships no binding, and SLF4J's notice about that
        // would break the one-line error contract on standard error.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
            StandardCharsets.UTF_8);
        int code;
        try {
            code = new LifeboatCli(new FormatBackend(System.getenv()), System.getenv(), out, System.err).execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("lifeboat: " + OUT_OF_MEMORY);
            code = ExitCodes.FAILURE;
        }
        out.flush();
        System.exit(code);
    }

    /** Runs one command line and returns its exit code. */
    int execute(String... args) {
        CommandLine cmd = new CommandLine(this);
        cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cmd.setParameterExceptionHandler((ex, a) -> {
            err.println("lifeboat: " + ex.getMessage());
            err.println("Try 'lifeboat " + (ex.getCommandLine() == cmd ? "" : ex.getCommandLine().getCommandName() + " ")
                + "--help' for more information.");
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parse) -> handle(ex));
        return cmd.execute(args);
    }

    private int handle(Exception ex) {
        if (debug) {
            ex.printStackTrace(err);
        }
        int code = ExitCodes.FAILURE;
        String message;
        if (ex instanceof CliException c) {
            code = c.exitCode();
            message = c.getMessage();
        } else if (ex instanceof WrongPasswordException) {
            code = ExitCodes.WRONG_PASSWORD;
            message = "wrong password: no key slot of the repository opens with it";
        } else if (ex instanceof CorruptObjectException) {
            message = "repository damaged: " + ex.getMessage();
        } else if (ex instanceof RepositoryException || ex instanceof EngineException) {
            message = ex.getMessage();
        } else if (ex instanceof UncheckedIOException u) {
            message = u.getCause().getMessage();
        } else if (causedByOutOfMemory(ex)) {
            message = OUT_OF_MEMORY;
        } else {
            message = "internal error: " + ex + (debug ? "" : " (run with --debug for details)");
        }
        err.println("lifeboat: " + oneLine(message));
        return code;
    }

    static final String OUT_OF_MEMORY = "out of memory: the ./lifeboat launcher caps the Java heap at 256 MiB, which holds"
        + " the index of about a million blobs; raise it with LIFEBOAT_JAVA_OPTS=-Xmx2g";

    private static boolean causedByOutOfMemory(Throwable t) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command");
    }

    CliSettings settings() {
        return CliSettings.resolve(env, repo, passwordFile, config);
    }

    ObjectMapper json() {
        if (mapper == null) {
            mapper = new ObjectMapper();
        }
        return mapper;
    }

    void printJson(Object value) {
        try {
            out.println(json().writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = LifeboatCli.class.getPackage().getImplementationVersion();
            return new String[] {"lifeboat " + (v == null ? "development build" : v)
                + " (Java " + Runtime.version() + ")"};
        }
    }
}
