package io.lifeboat.cli;

import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.keys.KeyCredentials;
import io.lifeboat.common.repository.ObjectLockSettings;
import io.lifeboat.common.store.ObjectLockMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
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

    @Option(names = "--object-lock-days", paramLabel = "N",
        description = "Write every pack, index, snapshot and journal entry with S3 Object Lock retention of N days; each new "
            + "snapshot extends the locks of what it reuses. The bucket must have Object Lock enabled (docs/security.md).")
    Integer objectLockDays;

    @Option(names = "--object-lock-duration", paramLabel = "DURATION",
        description = "As --object-lock-days with an ISO-8601 duration (PT20S, P30D): for tests and short-lived setups.")
    String objectLockDuration;

    @Option(names = "--object-lock-mode", paramLabel = "MODE", defaultValue = "COMPLIANCE",
        description = "COMPLIANCE (nobody can shorten a lock; default) or GOVERNANCE (users with s3:BypassGovernanceRetention can).")
    String objectLockMode;

    @Option(names = "--allow-kms-only",
        description = "Create the repository with a KMS key slot and no offline recovery slot (password or key file). "
            + "Losing the KMS key or the account then loses every backup.")
    boolean allowKmsOnly;

    @Override
    public Integer call() {
        CliSettings s = root.settings();
        RepositoryLocation location = s.location();
        ObjectLockSettings lock = objectLock();
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
            try (Repository repo = root.backend.init(location, credentials, allowKmsOnly, chunker, lock)) {
                List<Map<String, Object>> slots = KeyCommand.slotRows(repo);
                if (root.json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", repo.id());
                    m.put("location", location.toString());
                    m.put("chunker", repo.chunkerParams());
                    m.put("key_slots", slots);
                    if (lock != null) {
                        m.put("object_lock", Map.of("mode", lock.mode(), "retention_seconds", lock.retentionSeconds()));
                    }
                    root.printJson(m);
                } else {
                    root.out.println("created repository " + repo.id().substring(0, 8) + " at " + location);
                    if (chunker != null) {
                        root.out.println("chunker parameters copied from " + copyFrom);
                    }
                    if (lock != null) {
                        root.out.println("object lock: " + lock.describe() + "; nothing can delete a snapshot or its data before then");
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

    private ObjectLockSettings objectLock() {
        if (objectLockDays == null && objectLockDuration == null) {
            return null;
        }
        if (objectLockDays != null && objectLockDuration != null) {
            throw new CliException("give --object-lock-days or --object-lock-duration, not both", ExitCodes.USAGE);
        }
        Duration d;
        if (objectLockDays != null) {
            d = Duration.ofDays(objectLockDays);
        } else {
            try {
                d = Duration.parse(objectLockDuration.strip());
            } catch (DateTimeParseException e) {
                throw new CliException("--object-lock-duration needs an ISO-8601 duration such as PT20S or P30D, got '"
                    + objectLockDuration + "'", ExitCodes.USAGE);
            }
        }
        if (d.toSeconds() < 1 || d.toSeconds() > ObjectLockSettings.MAX_SECONDS) {
            throw new CliException("the object lock retention must be between 1 second and 100 years", ExitCodes.USAGE);
        }
        ObjectLockMode mode;
        try {
            mode = ObjectLockMode.valueOf(objectLockMode.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException("--object-lock-mode must be COMPLIANCE or GOVERNANCE, got '" + objectLockMode + "'", ExitCodes.USAGE);
        }
        return ObjectLockSettings.of(mode, d);
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
