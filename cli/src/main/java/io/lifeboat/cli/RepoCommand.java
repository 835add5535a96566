package io.lifeboat.cli;

import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.Snapshot;
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
        try (Repository repo = root.backend.open(location, password)) {
            java.util.Arrays.fill(password, '\0');
            return run(repo);
        }
    }

    abstract int run(Repository repo) throws Exception;

    /** Resolves a snapshot argument, turning "no such snapshot" into a clear error. */
    static Snapshot snapshot(Repository repo, String idOrLatest) {
        return repo.snapshot(idOrLatest);
    }
}
