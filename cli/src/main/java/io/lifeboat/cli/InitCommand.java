package io.lifeboat.cli;

import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.repository.Repository;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", description = "Create a new, empty repository.")
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCli root;

    @Option(names = "--copy-chunker-params-from", paramLabel = "LOCATION",
        description = "Chunk exactly like this other repository, so the same data deduplicates the same way in "
            + "both (for a second copy of a repository).")
    String copyFrom;

    @Option(names = "--from-password-file", paramLabel = "FILE",
        description = "Password file of the repository named by --copy-chunker-params-from "
            + "(default: the new repository's password).")
    Path fromPasswordFile;

    @Override
    public Integer call() {
        CliSettings s = root.settings();
        RepositoryLocation location = s.location();
        char[] password = s.password(true);
        try {
            ChunkerParams chunker = copyFrom == null ? null : chunkerParamsOf(copyFrom, password);
            try (Repository repo = chunker == null ? root.backend.init(location, password)
                    : root.backend.init(location, password, chunker)) {
                if (root.json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", repo.id());
                    m.put("location", location.toString());
                    m.put("chunker", repo.chunkerParams());
                    root.printJson(m);
                } else {
                    root.out.println("created repository " + repo.id().substring(0, 8) + " at " + location);
                    if (chunker != null) {
                        root.out.println("chunker parameters copied from " + copyFrom);
                    }
                    root.out.println("Keep the password safe: without it the data cannot be restored.");
                }
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        return ExitCodes.OK;
    }

    private ChunkerParams chunkerParamsOf(String source, char[] password) {
        RepositoryLocation from;
        try {
            from = RepositoryLocation.parse(source);
        } catch (IllegalArgumentException e) {
            throw new CliException("--copy-chunker-params-from: " + e.getMessage(), ExitCodes.USAGE);
        }
        char[] fromPassword = fromPasswordFile != null ? CliSettings.readPasswordFile(fromPasswordFile) : password.clone();
        try (Repository src = root.backend.open(from, fromPassword)) {
            return src.chunkerParams();
        } finally {
            Arrays.fill(fromPassword, '\0');
        }
    }
}
