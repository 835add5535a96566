package io.lifeboat.cli;

import io.lifeboat.common.keys.KeyProvider;
import io.lifeboat.common.keys.KeySlot;
import io.lifeboat.common.keys.ScryptParams;
import io.lifeboat.common.keys.local.LocalKeyProvider;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.PackRepository.KeySlotInfo;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.RepositoryLayout;
import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code key list|add|remove|rotate}: the repository's key slots (docs/repository-format.md
 * section 4) and its data-key epochs. Every change writes a signed journal entry. The subcommands
 * are methods so they share the repository handling of {@link RepoCommand}.
 */
@Command(name = "key", description = {"Manage key slots (passphrase, key file, KMS) and rotate keys without rewriting data."})
final class KeyCommand extends RepoCommand {
    private ToIntFunction<Repository> action;
    private boolean createsKmsSlot;
    private boolean deletesSlot;

    /** Removing or replacing a slot deletes: it uses the maintenance credential where one is configured. */
    @Override
    RepositoryBackend.Access access() {
        return new RepositoryBackend.Access(deletesSlot, false);
    }

    @Command(name = "list", description = "List key slots: id, type, KEK and creation time.")
    int list() throws Exception {
        action = this::list;
        return call();
    }

    @Command(name = "add", description = {"Add a key slot for the same master key.",
        "passphrase: the new password from --new-password-file, LIFEBOAT_NEW_PASSWORD or a prompt;",
        "keyfile: --new-key-file (created when it does not exist); kms: the KMS key of --kms-key-id."})
    int add(@Parameters(paramLabel = "TYPE", description = "passphrase, keyfile or kms") String type,
            @Option(names = "--new-password-file", paramLabel = "FILE", description = "File whose first line is the new password.")
            Path newPasswordFile,
            @Option(names = "--new-key-file", paramLabel = "FILE", description = "The key file of the new keyfile slot.")
            Path newKeyFile) throws Exception {
        String t = type.toLowerCase(Locale.ROOT);
        if (!List.of(KeySlot.TYPE_PASSPHRASE, KeySlot.TYPE_KEYFILE, KeySlot.TYPE_KMS).contains(t)) {
            throw new CliException("unknown key slot type '" + type + "' (use passphrase, keyfile or kms)", ExitCodes.USAGE);
        }
        if (t.equals(KeySlot.TYPE_KEYFILE) && newKeyFile == null) {
            throw new CliException("key add keyfile needs --new-key-file", ExitCodes.USAGE);
        }
        if (t.equals(KeySlot.TYPE_KMS) && root.settings().kmsKeyId() == null) {
            throw new CliException("key add kms needs the KMS key: pass --kms-key-id or set LIFEBOAT_KMS_KEY_ID", ExitCodes.USAGE);
        }
        char[] newPassword = t.equals(KeySlot.TYPE_PASSPHRASE) ? newPassword(newPasswordFile) : null;
        createsKmsSlot = t.equals(KeySlot.TYPE_KMS);
        action = repo -> add(repo, t, newPassword, newKeyFile);
        try {
            return call();
        } finally {
            if (newPassword != null) {
                Arrays.fill(newPassword, '\0');
            }
        }
    }

    @Command(name = "remove", description = {"Remove a key slot (never the last one; nor the last offline recovery slot).",
        "The last passphrase or keyfile slot goes only with --allow-no-recovery."})
    int remove(@Parameters(paramLabel = "ID", description = "The slot id or a unique prefix of it (see key list).") String id,
            @Option(names = "--allow-no-recovery", description = "Allow removing the last offline recovery slot.") boolean allowNoRecovery)
            throws Exception {
        action = repo -> remove(repo, id, allowNoRecovery);
        deletesSlot = true;
        return call();
    }

    @Command(name = "rotate", description = {"Rewrap under a new KMS key, or start a new data-key epoch; no data is rewritten.",
        "With --kms-key-id NEW: wrap the master key under the new KMS key (a new kms slot), then remove the old kms slot;",
        "the old KMS key can then be disabled. With --data: start a new data-key epoch for blobs written from now on."})
    int rotate(@Option(names = "--data", description = "Start a new data-key epoch instead.") boolean data,
            @Option(names = "--slot", paramLabel = "ID", description = "The kms slot to replace, when there are several.") String slot)
            throws Exception {
        if (!data && root.settings().kmsKeyId() == null) {
            throw new CliException("key rotate needs the new KMS key (--kms-key-id or LIFEBOAT_KMS_KEY_ID), or --data",
                ExitCodes.USAGE);
        }
        createsKmsSlot = !data;
        deletesSlot = !data;
        action = repo -> data ? rotateData(repo) : rotateKms(repo, slot);
        return call();
    }

    @Override
    boolean kmsKeyIdNamesNewSlot() {
        return createsKmsSlot;
    }

    @Override
    int run(Repository repo) {
        if (action == null) {
            throw new CliException("key needs a subcommand: list, add, remove or rotate", ExitCodes.USAGE);
        }
        return action.applyAsInt(repo);
    }

    private int list(Repository repo) {
        List<Map<String, Object>> rows = slotRows(repo);
        PackRepository p = PruneFlags.packRepository(repo);
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key_slots", rows);
            m.put("data_key_epoch", p.dataKeyEpoch());
            root.printJson(m);
            return ExitCodes.OK;
        }
        root.out.printf("%-8s  %-10s  %-19s  %s%n", "ID", "TYPE", "CREATED", "KEK");
        for (Map<String, Object> r : rows) {
            String id = ((String) r.get("slot_id")).substring(0, 8);
            if (r.get("error") != null) {
                root.out.printf("%-8s  %-10s  %-19s  %s%n", id, "?", "", "unreadable: " + r.get("error"));
            } else {
                root.out.printf("%-8s  %-10s  %-19s  %s%n", id, r.get("type"),
                    r.get("created") == null ? "" : Format.time(java.time.Instant.parse((String) r.get("created"))),
                    r.get("kek_id") == null ? "" : r.get("kek_id"));
            }
        }
        root.out.println(rows.size() + " key slot" + (rows.size() == 1 ? "" : "s") + "; data-key epoch " + p.dataKeyEpoch());
        return ExitCodes.OK;
    }

    /** The slots as JSON-ready rows; empty for repositories that have no key slots. */
    static List<Map<String, Object>> slotRows(Repository repo) {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!(repo instanceof PackRepository p)) {
            return rows;
        }
        for (KeySlotInfo s : p.keySlots()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("slot_id", s.slotId());
            m.put("type", s.type());
            m.put("kek_id", s.kekId());
            m.put("created", s.created() == null ? null : s.created().toString());
            if (s.error() != null) {
                m.put("error", s.error());
            }
            rows.add(m);
        }
        return rows;
    }

    private int add(Repository repo, String type, char[] newPassword, Path newKeyFile) {
        PackRepository p = PruneFlags.packRepository(repo);
        String slotId;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("type", type);
        boolean createdKeyFile = false;
        switch (type) {
            case KeySlot.TYPE_PASSPHRASE -> slotId = p.addPassphraseSlot(newPassword, ScryptParams.defaults());
            case KeySlot.TYPE_KEYFILE -> {
                if (!Files.exists(newKeyFile)) {
                    generateKeyFile(newKeyFile);
                    createdKeyFile = true;
                }
                KeyProvider provider = CliSettings.openKeyFile(newKeyFile);
                slotId = p.addWrappedSlot(provider);
                details.put("kekId", provider.kekId());
            }
            default -> {
                KeyProvider provider = credentials.kms().provider(root.settings().kmsKeyId());
                slotId = p.addWrappedSlot(provider);
                details.put("kekId", kekOf(p, slotId));
            }
        }
        journal(repo, "key-add", List.of(RepositoryLayout.keySlot(slotId)), details);
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("added", slotId);
            m.put("type", type);
            m.put("kek_id", details.get("kekId"));
            root.printJson(m);
        } else {
            root.out.println("added " + type + " key slot " + slotId.substring(0, 8)
                + (details.containsKey("kekId") ? " (" + details.get("kekId") + ")" : ""));
            if (createdKeyFile) {
                root.out.println("created key file " + newKeyFile + ": keep a copy off-site, away from the repository.");
            }
        }
        return ExitCodes.OK;
    }

    private int remove(Repository repo, String id, boolean allowNoRecovery) {
        PackRepository p = PruneFlags.packRepository(repo);
        KeySlotInfo slot = resolve(p, id);
        p.removeKeySlot(slot.slotId(), allowNoRecovery);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("type", slot.type() == null ? "unreadable" : slot.type());
        if (slot.kekId() != null) {
            details.put("kekId", slot.kekId());
        }
        journal(repo, "key-remove", List.of(RepositoryLayout.keySlot(slot.slotId())), details);
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("removed", slot.slotId());
            root.printJson(m);
        } else {
            root.out.println("removed key slot " + slot.slotId().substring(0, 8));
        }
        return ExitCodes.OK;
    }

    private int rotateKms(Repository repo, String slotArg) {
        PackRepository p = PruneFlags.packRepository(repo);
        KeySlotInfo old;
        if (slotArg != null) {
            old = resolve(p, slotArg);
        } else {
            List<KeySlotInfo> kms = p.keySlots().stream().filter(s -> KeySlot.TYPE_KMS.equals(s.type())).toList();
            if (kms.isEmpty()) {
                throw new CliException("the repository has no kms key slot to rotate; add one with lifeboat key add kms",
                    ExitCodes.FAILURE);
            }
            if (kms.size() > 1) {
                throw new CliException("the repository has " + kms.size() + " kms key slots; choose one with --slot", ExitCodes.USAGE);
            }
            old = kms.get(0);
        }
        KeyProvider newKek = credentials.kms().provider(root.settings().kmsKeyId());
        String newSlot = p.rotateKmsSlot(old.slotId(), newKek);
        String newKekId = kekOf(p, newSlot);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("oldKekId", old.kekId());
        details.put("newKekId", newKekId);
        details.put("removedSlot", old.slotId());
        journal(repo, "key-rotate", List.of(RepositoryLayout.keySlot(newSlot), RepositoryLayout.keySlot(old.slotId())), details);
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("added", newSlot);
            m.put("removed", old.slotId());
            m.put("old_kek_id", old.kekId());
            m.put("new_kek_id", newKekId);
            root.printJson(m);
        } else {
            root.out.println("rotated kms key slot " + old.slotId().substring(0, 8) + " -> " + newSlot.substring(0, 8) + ": "
                + old.kekId() + " -> " + newKekId);
            root.out.println("The old KMS key no longer opens the repository and may be disabled; no data was rewritten.");
        }
        return ExitCodes.OK;
    }

    private int rotateData(Repository repo) {
        PackRepository p = PruneFlags.packRepository(repo);
        int previous = p.dataKeyEpoch();
        int epoch = p.startDataKeyEpoch();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("previousEpoch", Integer.toString(previous));
        details.put("epoch", Integer.toString(epoch));
        journal(repo, "key-rotate-data", List.of(), details);
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            root.printJson(m);
        } else {
            root.out.println("started data-key epoch " + epoch + ": blobs written from now on use it; existing blobs keep epoch "
                + previous + " or older and are not rewritten");
        }
        return ExitCodes.OK;
    }

    /** Creates a key file, as a plain failure (not a KMS one) when that is impossible. */
    static void generateKeyFile(Path file) {
        try {
            LocalKeyProvider.generate(file);
        } catch (io.lifeboat.common.keys.KeyProviderException e) {
            throw new CliException(e.getMessage(), ExitCodes.FAILURE);
        }
    }

    private static String kekOf(PackRepository p, String slotId) {
        return p.keySlots().stream().filter(s -> s.slotId().equals(slotId)).map(KeySlotInfo::kekId).findFirst().orElse(null);
    }

    private static KeySlotInfo resolve(PackRepository p, String id) {
        String prefix = id.strip().toLowerCase(Locale.ROOT);
        if (!prefix.matches("[0-9a-f]{4,32}")) {
            throw new CliException("'" + id + "' is not a key slot id (at least 4 hex digits; see lifeboat key list)", ExitCodes.USAGE);
        }
        List<KeySlotInfo> matches = p.keySlots().stream().filter(s -> s.slotId().startsWith(prefix)).toList();
        if (matches.isEmpty()) {
            throw new CliException("no key slot " + id + " (see lifeboat key list)", ExitCodes.FAILURE);
        }
        if (matches.size() > 1) {
            throw new CliException("key slot prefix " + id + " is ambiguous; give more digits", ExitCodes.USAGE);
        }
        return matches.get(0);
    }

    private char[] newPassword(Path file) {
        if (file != null) {
            return CliSettings.readPasswordFile(file);
        }
        String env = root.env.get("LIFEBOAT_NEW_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        Console console = Terminal.interactiveConsole();
        if (console == null) {
            throw new CliException("no new password given: pass --new-password-file or set LIFEBOAT_NEW_PASSWORD", ExitCodes.USAGE);
        }
        char[] a = console.readPassword("new password: ");
        char[] b = console.readPassword("repeat the new password: ");
        if (a == null || a.length == 0 || !Arrays.equals(a, b)) {
            throw new CliException(a == null || a.length == 0 ? "no password entered" : "the passwords do not match", ExitCodes.USAGE);
        }
        return a;
    }
}
