package io.lifeboat.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.engine.EngineException;
import io.lifeboat.common.keys.KeyProviderException;
import io.lifeboat.common.maintenance.MaintenanceLeaseException;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.KeyUnavailableException;
import io.lifeboat.common.repository.RepositoryException;
import io.lifeboat.common.repository.WrongPasswordException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure", "2:usage error (bad flags, no repository or password given)",
        "3:backup committed, but some files could not be read", "10:no repository at the location",
        "11:locked by another run (maintenance lease; wal-stream of the same cluster)",
        "12:wrong password, key file or KMS key", "13:the KMS refused or failed (key disabled, pending deletion, no access)"},
    footer = {"", "Environment: LIFEBOAT_REPOSITORY, LIFEBOAT_PASSWORD, LIFEBOAT_PASSWORD_FILE, LIFEBOAT_CONFIG,",
        "LIFEBOAT_KEY_FILE, LIFEBOAT_KMS_KEY_ID, LIFEBOAT_KMS_ENDPOINT, LIFEBOAT_KMS_REGION, LIFEBOAT_KMS_ACCESS_KEY, LIFEBOAT_KMS_SECRET_KEY.",
        "Flags win over the environment, which wins over the config file (properties: repository=, password-file=,",
        "key-file=, kms-key-id=).",
        "Also: LIFEBOAT_LIMIT_UPLOAD, LIFEBOAT_LIMIT_DOWNLOAD, LIFEBOAT_RETRY_BUDGET; S3: LIFEBOAT_S3_ENDPOINT, _REGION,",
        "_ACCESS_KEY, _SECRET_KEY (LIFEBOAT_SOURCE_S3_* and LIFEBOAT_TARGET_S3_* for backup --source / restore --target)."})
public final class LifeboatCli implements Runnable {
    /**
     * The subcommands, in the order help lists them. Not in the {@code @Command} annotation:
     * picocli builds the model of every listed subcommand by reflection when the command line is
     * made (about 0.2 s of CPU before any work), so {@link #commandLine} adds only the one invoked.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(InitCommand.class, BackupCommand.class, SnapshotsCommand.class,
        LsCommand.class, RestoreCommand.class, BackupPostgresCommand.class, RestorePostgresCommand.class,
        DumpCommand.class, DiffCommand.class, CheckCommand.class, StatsCommand.class,
        ForgetCommand.class, PruneCommand.class, HoldCommand.class, KeyCommand.class,
        WalPushCommand.class, WalFetchCommand.class, WalVerifyCommand.class, WalExpireCommand.class,
        WalStreamCommand.class, WalStatusCommand.class,
        BackupPostgresBaseCommand.class, RestorePitrCommand.class, RestoreTablesPitrCommand.class,
        CommandLine.HelpCommand.class);

    /** Root options that take a value in the next argument (unless written as {@code --opt=value}). */
    private static final java.util.Set<String> VALUED_OPTIONS = java.util.Set.of("-r", "--repo", "--password-file",
        "--key-file", "--kms-key-id", "--config", "--limit-upload", "--limit-download", "--retry-budget");

    @Option(names = {"-r", "--repo"}, scope = ScopeType.INHERIT, paramLabel = "LOCATION",
        description = "Repository: a directory, local:/path or s3:bucket/prefix (env LIFEBOAT_REPOSITORY).")
    String repo;

    @Option(names = "--password-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
        description = "File whose first line is the password (env LIFEBOAT_PASSWORD_FILE).")
    Path passwordFile;

    @Option(names = "--key-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
        description = "Key file kept outside the repository; opens its keyfile slot (env LIFEBOAT_KEY_FILE). "
            + "init creates the file when it does not exist.")
    Path keyFile;

    @Option(names = "--kms-key-id", scope = ScopeType.INHERIT, paramLabel = "ID",
        description = "KMS key (id, ARN or alias) of the kms slot to open, or of the new slot for init, key add kms "
            + "and key rotate (env LIFEBOAT_KMS_KEY_ID; KMS endpoint, region and credentials from LIFEBOAT_KMS_*).")
    String kmsKeyId;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
        description = "Properties file with repository= and password-file= (env LIFEBOAT_CONFIG).")
    Path config;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print machine-readable JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "No progress output.")
    boolean quiet;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean debug;

    @Option(names = "--limit-upload", scope = ScopeType.INHERIT, paramLabel = "RATE",
        description = "Limit uploads to the repository, in KiB/s or with a unit: 500, 800K, 10M, 1G "
            + "(env LIFEBOAT_LIMIT_UPLOAD; default: no limit).")
    String limitUpload;

    @Option(names = "--limit-download", scope = ScopeType.INHERIT, paramLabel = "RATE",
        description = "Limit downloads from the repository, like --limit-upload (env LIFEBOAT_LIMIT_DOWNLOAD).")
    String limitDownload;

    @Option(names = "--retry-budget", scope = ScopeType.INHERIT, paramLabel = "DURATION",
        description = "How long one storage call keeps retrying transient failures (server errors, throttling, "
            + "timeouts, connection refused) before the command fails, e.g. 30s, 2m, 0s for no retry "
            + "(env LIFEBOAT_RETRY_BUDGET; default: 2m).")
    String retryBudget;

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

    /** When this process started, set by {@link #main} only; restore commands measure RTO from it. */
    static volatile java.time.Instant processStarted;

    /**
     * Where a restore's RTO clock starts: the process start (JVM and repository opening included) when
     * run as a command, else now (in-process runs, tests).
     */
    /**
     * Initialises Jackson (the key slots, config and every JSON object of the repository go through
     * {@code Json}) on the second core while this one builds the picocli model: about 0.1 s of class
     * loading that would otherwise sit between the command's start and the key derivation.
     * {@code -Dlifeboat.preload=false} turns it off.
     */
    private static void preloadInBackground() {
        if (!Boolean.parseBoolean(System.getProperty("lifeboat.preload", "true"))) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                io.lifeboat.common.format.Json.mapper().readTree("{\"preload\":[1,\"x\",true]}");
            } catch (java.io.IOException | RuntimeException | LinkageError e) {
                // Only a head start: the command loads the class itself when it needs it.
            }
        }, "lifeboat-preload");
        t.setDaemon(true);
        t.start();
    }

    static java.time.Instant rtoStart() {
        java.time.Instant started = processStarted;
        return started != null ? started : java.time.Instant.now();
    }

    public static void main(String[] args) {
        processStarted = ProcessStart.now();
        preloadInBackground();
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
        CommandLine cmd = commandLine(args);
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

    /**
     * The command line for {@code args}: the root command with only the subcommand they name, or
     * with every subcommand when they name none or one that is not known (help, usage errors,
     * {@code --version}), so what the user sees is the same either way.
     */
    CommandLine commandLine(String... args) {
        CommandLine cmd = new CommandLine(this);
        Class<?> only = invoked(args);
        for (Class<?> c : SUBCOMMANDS) {
            if (only == null || c == only) {
                cmd.addSubcommand(c);
            }
        }
        return cmd;
    }

    /** The subcommand class named by the first argument that is not an option or an option's value, if known. */
    private static Class<?> invoked(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUED_OPTIONS.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                for (Class<?> c : SUBCOMMANDS) {
                    Command command = c.getAnnotation(Command.class);
                    if (c != CommandLine.HelpCommand.class && command != null
                            && (command.name().equals(a) || java.util.Arrays.asList(command.aliases()).contains(a))) {
                        return c;
                    }
                }
                return null;
            }
        }
        return null;
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
            message = ex.getMessage();
        } else if (ex instanceof MaintenanceLeaseException) {
            code = ExitCodes.LOCKED;
            message = ex.getMessage();
        } else if (ex instanceof KeyUnavailableException || ex instanceof KeyProviderException) {
            code = ExitCodes.KEY_UNAVAILABLE;
            message = ex.getMessage();
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

    /**
     * The repository and password settings. Every command that opens a repository starts here, so
     * this is also where the backend learns the store settings (limits, retry budget) before it
     * opens anything.
     */
    CliSettings settings() {
        backend.configure(storeSettings());
        return CliSettings.resolve(env, repo, passwordFile, config).withKeyFlags(keyFile, kmsKeyId);
    }

    StoreSettings storeSettings() {
        return StoreSettings.resolve(env, limitUpload, limitDownload, retryBudget);
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
