package io.lifeboat.cli;

import io.lifeboat.common.keys.KeyCredentials;
import io.lifeboat.common.repository.JournalEntry;
import io.lifeboat.common.repository.Repository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/** Base of the commands that open a repository: resolves settings, opens, closes. */
abstract class RepoCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCli root;

    /** The credentials the repository was opened with, while {@link #run} runs. */
    KeyCredentials credentials;

    /** When the command line was parsed and the command began, and when the repository was open (for RTO phases). */
    Instant commandBegan;
    Instant repositoryOpened;

    @Override
    public final Integer call() throws Exception {
        commandBegan = Instant.now();
        checkArguments();
        CliSettings s = root.settings();
        RepositoryLocation location = s.location();
        AutoCloseable early = startBeforeOpen();
        try (KeyCredentials c = s.credentials(kmsKeyIdNamesNewSlot());
                Repository repo = root.backend.open(location, c, access())) {
            if (c.passphrase() != null) {
                java.util.Arrays.fill(c.passphrase(), '\0');
            }
            credentials = c;
            repositoryOpened = Instant.now();
            return run(repo);
        } finally {
            credentials = null;
            if (early != null) {
                early.close();
            }
        }
    }

    /**
     * Work that needs no repository, started in the background before it opens (the password's scrypt,
     * a KMS call) so the two overlap; closed after the repository, whatever happened. Null: none.
     */
    AutoCloseable startBeforeOpen() {
        return null;
    }

    /**
     * True for commands whose {@code --kms-key-id} names the KEK of a slot they create (key add,
     * key rotate): then it does not narrow which kms slots may open the repository.
     */
    boolean kmsKeyIdNamesNewSlot() {
        return false;
    }

    abstract int run(Repository repo) throws Exception;

    /** How the command reaches the store: as a backup (the default), for maintenance, or through versions. */
    RepositoryBackend.Access access() {
        return RepositoryBackend.Access.BACKUP;
    }

    /** Refuses a bad command line before the repository is opened (and its password asked for). */
    void checkArguments() {
    }

    /**
     * Leaves a signed journal entry for work the catalog should learn about (restores, checks), so
     * nothing done with the CLI alone is invisible. A repository that refuses the write (read-only
     * credentials) gets a warning, not a failure: the work itself succeeded.
     */
    void journal(Repository repo, String action, List<String> objects, Map<String, String> details) {
        try {
            repo.appendJournal(new JournalEntry(action, actor(), Instant.now(), objects, details));
        } catch (RuntimeException e) {
            if (!root.quiet) {
                root.err.println("lifeboat: warning: could not write the journal entry: " + LifeboatCli.oneLine(e.getMessage()));
            }
        }
    }

    static String actor() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
        }
        return System.getProperty("user.name", "unknown") + "@" + host;
    }
}
