package io.lifeboat.cli;

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

    @Override
    public final Integer call() throws Exception {
        CliSettings s = root.settings();
        RepositoryLocation location = s.location();
        char[] password = s.password(false);
        try (Repository repo = root.backend.open(location, password, access())) {
            java.util.Arrays.fill(password, '\0');
            return run(repo);
        }
    }

    abstract int run(Repository repo) throws Exception;

    /** How the command reaches the store: as a backup (the default), for maintenance, or through versions. */
    RepositoryBackend.Access access() {
        return RepositoryBackend.Access.BACKUP;
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
