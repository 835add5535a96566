package io.lifeboat.cli;

import io.lifeboat.common.keys.KeySlot;
import io.lifeboat.common.repository.RepositoryLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Derives the passphrase slot's key (scrypt, about 0.25 s of CPU) on a background thread while the
 * main thread builds the picocli model, for commands that will open a local repository with the
 * password from {@code LIFEBOAT_PASSWORD}. It is only a guess made before the command line is
 * parsed: it reads the key slots without opening the repository, derives for the first passphrase
 * slot in the order the unlock tries them, and leaves the result to
 * {@link io.lifeboat.common.crypto.ScryptAhead}, which hands it over only for the very same
 * password, salt and parameters. A wrong guess costs CPU on the other core and changes nothing.
 */
final class UnlockAhead {
    /** Flags that may choose another repository or credentials than the environment's. */
    private static final List<String> OVERRIDING_FLAGS = List.of("-r", "--repo", "--password-file", "--key-file",
        "--kms-key-id", "--config");
    /** Flags after which no repository is opened. */
    private static final Set<String> NO_REPOSITORY_FLAGS = Set.of("-h", "--help", "-V", "--version");
    /** Subcommands that open no existing repository. */
    static final Set<String> NO_REPOSITORY_COMMANDS = Set.of("init", "help");

    private UnlockAhead() {
    }

    /** The local repository whose key to derive ahead, or null when the guess is not worth making. */
    static Path repositoryToUnlock(Map<String, String> env, String[] args) {
        String password = env.get("LIFEBOAT_PASSWORD");
        String location = env.get("LIFEBOAT_REPOSITORY");
        if (password == null || password.isEmpty() || location == null || location.isBlank()
                || env.get("LIFEBOAT_CONFIG") != null || env.get("LIFEBOAT_KEY_FILE") != null
                || env.get("LIFEBOAT_KMS_KEY_ID") != null) {
            return null;
        }
        String command = null;
        for (String a : args) {
            if (NO_REPOSITORY_FLAGS.contains(a)) {
                return null;
            }
            for (String f : OVERRIDING_FLAGS) {
                if (a.equals(f) || a.startsWith(f + "=") || f.equals("-r") && a.startsWith("-r") && a.length() > 2) {
                    return null;
                }
            }
            if (command == null && !a.startsWith("-")) {
                command = a;
            }
        }
        if (command == null || NO_REPOSITORY_COMMANDS.contains(command)) {
            return null;
        }
        try {
            return RepositoryLocation.parse(location) instanceof RepositoryLocation.Local local ? local.path() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Derives the first passphrase slot's key of the repository at {@code root}; never throws. */
    static void derive(Path root, char[] password) {
        Path keys = root.resolve(RepositoryLayout.KEYS);
        List<Path> files;
        try (Stream<Path> s = Files.list(keys)) {
            files = s.sorted().toList();
        } catch (IOException | RuntimeException e) {
            return; // no repository there (yet): the command says so itself
        }
        for (Path f : files) {
            try {
                KeySlot slot = KeySlot.parse(f.getFileName().toString(), Files.readAllBytes(f));
                if (KeySlot.TYPE_PASSPHRASE.equals(slot.header().type())) {
                    slot.deriveAhead(password);
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // unreadable or of an unknown type: the unlock skips or reports it itself
            }
        }
    }
}
