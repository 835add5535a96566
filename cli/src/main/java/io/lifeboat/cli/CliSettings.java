package io.lifeboat.cli;

import io.lifeboat.common.keys.KeyCredentials;
import io.lifeboat.common.keys.KeyProvider;
import io.lifeboat.common.keys.KeyProviderException;
import io.lifeboat.common.keys.KmsAccess;
import io.lifeboat.common.keys.awskms.AwsKmsAccess;
import io.lifeboat.common.keys.awskms.AwsKmsConfig;
import io.lifeboat.common.keys.local.LocalKeyProvider;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
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
 *
 * <p>Key slots other than passphrases: {@code --key-file} / {@code LIFEBOAT_KEY_FILE} / config
 * {@code key-file} opens {@code keyfile} slots; the KMS is used when {@code --kms-key-id} /
 * {@code LIFEBOAT_KMS_KEY_ID} / config {@code kms-key-id}, {@code LIFEBOAT_KMS_ENDPOINT} or
 * {@code LIFEBOAT_KMS_REGION} is set, with {@code LIFEBOAT_KMS_ACCESS_KEY} and
 * {@code LIFEBOAT_KMS_SECRET_KEY} (else the AWS SDK's default credential chain). With a key file or
 * a KMS configured, no password is asked for unless one is given.
 */
final class CliSettings {
    private final Map<String, String> env;
    private final Properties file;
    private final String repoFlag;
    private final Path passwordFileFlag;
    private Path keyFileFlag;
    private String kmsKeyIdFlag;

    private CliSettings(Map<String, String> env, Properties file, String repoFlag, Path passwordFileFlag) {
        this.env = env;
        this.file = file;
        this.repoFlag = repoFlag;
        this.passwordFileFlag = passwordFileFlag;
    }

    /** Adds the key flags ({@code --key-file}, {@code --kms-key-id}); either may be null. */
    CliSettings withKeyFlags(Path keyFile, String kmsKeyId) {
        this.keyFileFlag = keyFile;
        this.kmsKeyIdFlag = kmsKeyId;
        return this;
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
        char[] given = givenPassword();
        if (given != null) {
            return given;
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

    /** The password from a flag, the environment or the config file, or null: never prompts. */
    char[] givenPassword() {
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
        return null;
    }

    /** The key file named by flag, environment or config file, or null. */
    Path keyFile() {
        if (keyFileFlag != null) {
            return keyFileFlag;
        }
        String v = firstNonBlank(env.get("LIFEBOAT_KEY_FILE"), file.getProperty("key-file"));
        return v == null ? null : Path.of(v);
    }

    /** The KMS key named by flag, environment or config file, or null. */
    String kmsKeyId() {
        return firstNonBlank(kmsKeyIdFlag, env.get("LIFEBOAT_KMS_KEY_ID"), file.getProperty("kms-key-id"));
    }

    /** True when a KMS key id, endpoint or region is set. */
    boolean kmsConfigured() {
        return kmsKeyId() != null || firstNonBlank(env.get("LIFEBOAT_KMS_ENDPOINT"), env.get("LIFEBOAT_KMS_REGION")) != null;
    }

    /** A client for the configured KMS; the caller closes it. */
    KmsAccess kmsAccess() {
        String region = firstNonBlank(env.get("LIFEBOAT_KMS_REGION"), env.get("AWS_REGION"), "us-east-1");
        String id = kmsKeyId();
        AwsKmsConfig config = AwsKmsConfig.of(region, id == null ? "unused" : id);
        String endpoint = env.get("LIFEBOAT_KMS_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            try {
                config = config.withEndpoint(URI.create(endpoint.strip()));
            } catch (IllegalArgumentException e) {
                throw new CliException("LIFEBOAT_KMS_ENDPOINT is not a URL: " + endpoint, ExitCodes.USAGE);
            }
        }
        String access = env.get("LIFEBOAT_KMS_ACCESS_KEY");
        String secret = env.get("LIFEBOAT_KMS_SECRET_KEY");
        if (access != null && !access.isBlank() && secret != null && !secret.isBlank()) {
            config = config.withStaticCredentials(access, secret);
        }
        return AwsKmsAccess.create(config);
    }

    /** Opens the key file for use, as a usage error when it is missing or unreadable. */
    static KeyProvider openKeyFile(Path keyFile) {
        try {
            return LocalKeyProvider.open(keyFile);
        } catch (KeyProviderException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
    }

    /**
     * The credentials for opening a repository: key file and KMS when configured, the password
     * when given, and a prompt for it only when there is nothing else.
     *
     * @param kmsKeyIdNamesNewSlot the KMS key id names the KEK of a slot the command is about to
     *     create, so it must not narrow which kms slots open the repository
     */
    KeyCredentials credentials(boolean kmsKeyIdNamesNewSlot) {
        KeyCredentials c = KeyCredentials.none();
        Path kf = keyFile();
        if (kf != null) {
            c = c.withKeyFile(openKeyFile(kf));
        }
        if (kmsConfigured()) {
            c = c.withKms(kmsAccess(), kmsKeyIdNamesNewSlot ? null : kmsKeyId());
        }
        char[] pw = c.isEmpty() ? password(false) : givenPassword();
        return c.withPassphrase(pw);
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
