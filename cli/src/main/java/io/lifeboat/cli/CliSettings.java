package io.lifeboat.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The repository and password a command uses, resolved from flags, then the environment, then the
 * config file ({@code --config} or {@code LIFEBOAT_CONFIG}, Java properties with keys
 * {@code repository} and {@code password-file}): flags win over the environment, which wins over
 * the file.
 *
 * <p>Password sources, first found wins: {@code --password-file}, {@code LIFEBOAT_PASSWORD},
 * {@code LIFEBOAT_PASSWORD_FILE}, the config file's {@code password-file}, then a prompt when a
 * terminal is attached. A password file's first line is the password (a trailing newline is
 * dropped).
 */
final class CliSettings {
    private final Map<String, String> env;
    private final Properties file;
    private final String repoFlag;
    private final Path passwordFileFlag;

    private CliSettings(Map<String, String> env, Properties file, String repoFlag, Path passwordFileFlag) {
        this.env = env;
        this.file = file;
        this.repoFlag = repoFlag;
        this.passwordFileFlag = passwordFileFlag;
    }

    static CliSettings resolve(Map<String, String> env, String repoFlag, Path passwordFileFlag, Path configFlag) {
        Path config = configFlag != null ? configFlag
            : env.get("LIFEBOAT_CONFIG") != null && !env.get("LIFEBOAT_CONFIG").isBlank()
                ? Path.of(env.get("LIFEBOAT_CONFIG")) : null;
        Properties props = new Properties();
        if (config != null) {
            try (InputStream in = Files.newInputStream(config)) {
                props.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CliException("cannot read config file " + config + ": " + reason(e), ExitCodes.USAGE);
            }
        }
        return new CliSettings(env, props, repoFlag, passwordFileFlag);
    }

    RepositoryLocation location() {
        String v = firstNonBlank(repoFlag, env.get("LIFEBOAT_REPOSITORY"), file.getProperty("repository"));
        try {
            return RepositoryLocation.parse(v);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
    }

    /** The password, or a prompt for it; {@code confirm} asks twice (for init). */
    char[] password(boolean confirm) {
        if (passwordFileFlag != null) {
            return readPasswordFile(passwordFileFlag);
        }
        String pw = env.get("LIFEBOAT_PASSWORD");
        if (pw != null && !pw.isEmpty()) {
            return pw.toCharArray();
        }
        String pwFile = firstNonBlank(env.get("LIFEBOAT_PASSWORD_FILE"), file.getProperty("password-file"));
        if (pwFile != null) {
            return readPasswordFile(Path.of(pwFile));
        }
        Console console = Terminal.interactiveConsole();
        if (console != null) {
            char[] a = console.readPassword("repository password: ");
            if (a == null || a.length == 0) {
                throw new CliException("no password entered", ExitCodes.USAGE);
            }
            if (confirm) {
                char[] b = console.readPassword("repeat the password: ");
                if (!java.util.Arrays.equals(a, b)) {
                    throw new CliException("the passwords do not match", ExitCodes.USAGE);
                }
            }
            return a;
        }
        throw new CliException("no password given: set LIFEBOAT_PASSWORD or LIFEBOAT_PASSWORD_FILE, "
            + "or pass --password-file", ExitCodes.USAGE);
    }

    static char[] readPasswordFile(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            String line = nl < 0 ? s : s.substring(0, nl);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                throw new CliException("password file " + p + " is empty", ExitCodes.USAGE);
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new CliException("cannot read password file " + p + ": " + reason(e), ExitCodes.USAGE);
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
