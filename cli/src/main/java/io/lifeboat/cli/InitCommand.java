package io.lifeboat.cli;

import io.lifeboat.common.repository.Repository;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", description = "Create a new, empty repository.")
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCli root;

    @Override
    public Integer call() {
        CliSettings s = root.settings();
        RepositoryLocation location = s.location();
        char[] password = s.password(true);
        try (Repository repo = root.backend.init(location, password)) {
            if (root.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", repo.id());
                m.put("location", location.toString());
                root.printJson(m);
            } else {
                root.out.println("created repository " + repo.id().substring(0, 8) + " at " + location);
                root.out.println("Keep the password safe: without it the data cannot be restored.");
            }
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
        return ExitCodes.OK;
    }
}
