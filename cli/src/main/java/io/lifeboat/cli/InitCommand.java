package io.lifeboat.cli;

import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.keys.KeyCredentials;
import io.lifeboat.common.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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

    @Option(names = "--allow-kms-only",
        description = "Create the repository with a KMS key slot and no offline recovery slot (password or key file). "
            + "Losing the KMS key or the account then loses every backup.")
    boolean allowKmsOnly;

    @Override
    public Integer call() {
        CliSettings s = root.settings();
        RepositoryLocation location = s.location();
        String kmsKeyId = s.kmsKeyId();
        Path keyFile = s.keyFile();
        char[] password = s.givenPassword();
        if (password == null && keyFile == null) {
            if (kmsKeyId != null && allowKmsOnly) {
                password = null;
            } else if (kmsKeyId != null && Terminal.interactiveConsole() == null) {
                throw new CliException("refusing to create a repository whose only key slot is in KMS: if that key is disabled "
                    + "or deleted, or the account is lost, every backup is lost; also give a password or --key-file as an "
                    + "offline recovery slot, or pass --allow-kms-only", ExitCodes.USAGE);
            } else {
                password = s.password(true);
            }
        }
        KeyCredentials credentials = KeyCredentials.none().withPassphrase(password);
        boolean createdKeyFile = false;
        try {
            if (keyFile != null) {
                if (!Files.exists(keyFile)) {
                    KeyCommand.generateKeyFile(keyFile);
                    createdKeyFile = true;
                }
                credentials = credentials.withKeyFile(CliSettings.openKeyFile(keyFile));
            }
            if (kmsKeyId != null) {
                credentials = credentials.withKms(s.kmsAccess(), kmsKeyId);
            }
            ChunkerParams chunker = copyFrom == null ? null : chunkerParamsOf(copyFrom, password);
            try (Repository repo = root.backend.init(location, credentials, allowKmsOnly, chunker)) {
                List<Map<String, Object>> slots = KeyCommand.slotRows(repo);
                if (root.json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", repo.id());
                    m.put("location", location.toString());
                    m.put("chunker", repo.chunkerParams());
                    m.put("key_slots", slots);
                    root.printJson(m);
                } else {
                    root.out.println("created repository " + repo.id().substring(0, 8) + " at " + location);
                    if (chunker != null) {
                        root.out.println("chunker parameters copied from " + copyFrom);
                    }
                    for (Map<String, Object> slot : slots) {
                        root.out.println("key slot " + slot.get("slot_id") + " (" + slot.get("type") + ")"
                            + (slot.get("kek_id") == null ? "" : ": " + slot.get("kek_id")));
                    }
                    if (createdKeyFile) {
                        root.out.println("created key file " + keyFile + ": keep a copy off-site, away from the repository.");
                    }
                    root.out.println(password != null
                        ? "Keep the password safe: without it the data cannot be restored."
                        : keyFile != null ? "Keep the key file safe: without it (or the KMS key) the data cannot be restored."
                        : "This repository opens only through the KMS key: if it is lost, the data cannot be restored.");
                }
            }
        } finally {
            credentials.close();
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
        if (fromPasswordFile == null && password == null) {
            throw new CliException("--copy-chunker-params-from needs --from-password-file when the new repository has no password",
                ExitCodes.USAGE);
        }
        char[] fromPassword = fromPasswordFile != null ? CliSettings.readPasswordFile(fromPasswordFile) : password.clone();
        try (Repository src = root.backend.open(from, fromPassword)) {
            return src.chunkerParams();
        } finally {
            java.util.Arrays.fill(fromPassword, '\0');
        }
    }
}
