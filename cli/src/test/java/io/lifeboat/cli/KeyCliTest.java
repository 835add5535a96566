package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.engine.testing.TreeAssertions;
import io.lifeboat.common.keys.KeyCredentials;
import io.lifeboat.common.keys.local.LocalKeyProvider;
import io.lifeboat.common.repository.OpenOptions;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files and the key commands through the CLI's entry point, on a local repository (no KMS). */
class KeyCliTest {
    @TempDir
    Path tmp;
    Path repo;
    Path keyFile;
    final Map<String, String> env = new HashMap<>();
    String out;
    String err;

    @BeforeEach
    void setUp() {
        repo = tmp.resolve("repo");
        keyFile = tmp.resolve("keys/repo.key");
        env.put("LIFEBOAT_REPOSITORY", "local:" + repo);
    }

    int run(String... args) {
        InProcessCli.Result r = InProcessCli.execute(new FormatBackend(env), env, args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out);
    }

    private List<String> journalActions() {
        try (PackRepository r = Repositories.open(new LocalObjectStore(repo),
                KeyCredentials.none().withKeyFile(LocalKeyProvider.open(keyFile)), OpenOptions.defaults())) {
            return r.journal().stream().map(j -> j.entry().action()).toList();
        }
    }

    @Test
    void aKeyFileRepositoryBacksUpAndRestoresWithoutAnyPassword() throws Exception {
        assertThat(run("init", "--key-file", keyFile.toString())).as(err).isZero();
        assertThat(out).contains("created key file " + keyFile).contains("(keyfile)");
        assertThat(Files.size(keyFile)).isEqualTo(32);
        Path data = RealRepositoryCliTest.randomTree(tmp.resolve("data"), 5, 4, 100_000);
        env.put("LIFEBOAT_KEY_FILE", keyFile.toString());
        assertThat(run("backup", data.toString())).as(err).isZero();
        assertThat(run("restore", "latest", "--target", tmp.resolve("r").toString())).as(err).isZero();
        TreeAssertions.assertSameTree(data, tmp.resolve("r/data"));

        env.remove("LIFEBOAT_KEY_FILE");
        Path config = tmp.resolve("lifeboat.properties");
        Files.writeString(config, "key-file=" + keyFile + "\n");
        env.put("LIFEBOAT_CONFIG", config.toString());
        assertThat(run("snapshots", "--json")).as(err).isZero();
        assertThat(json()).hasSize(1);
        env.remove("LIFEBOAT_CONFIG");

        Path wrong = tmp.resolve("keys/wrong.key");
        LocalKeyProvider.generate(wrong);
        env.put("LIFEBOAT_KEY_FILE", wrong.toString());
        assertThat(run("snapshots")).isEqualTo(ExitCodes.WRONG_PASSWORD);
        assertThat(err.lines()).singleElement().asString()
            .startsWith("lifeboat: wrong key file: local key file " + wrong).endsWith("opens no key slot of the repository");
        env.put("LIFEBOAT_KEY_FILE", tmp.resolve("keys/missing.key").toString());
        assertThat(run("snapshots")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines()).singleElement().asString().contains("missing.key does not exist");
    }

    @Test
    void keyCommandsAddListRemoveAndRotateTheDataKeyWithJournalEntries() throws Exception {
        env.put("LIFEBOAT_PASSWORD", "first password");
        assertThat(run("init", "--key-file", keyFile.toString())).as(err).isZero();
        env.remove("LIFEBOAT_PASSWORD");
        env.put("LIFEBOAT_KEY_FILE", keyFile.toString()); // opens without scrypt, which keeps the test fast
        assertThat(run("key", "list", "--json")).as(err).isZero();
        assertThat(json().get("key_slots")).hasSize(2);
        assertThat(json().get("key_slots").findValuesAsText("type")).containsExactlyInAnyOrder("keyfile", "passphrase");
        assertThat(json().get("data_key_epoch").asInt()).isEqualTo(1);

        Path newPw = tmp.resolve("new-pw");
        Files.writeString(newPw, "second password\n");
        assertThat(run("key", "add", "passphrase", "--new-password-file", newPw.toString(), "--json")).as(err).isZero();
        String added = json().get("added").asText();
        assertThat(run("key", "list")).as(err).isZero();
        assertThat(out).contains(added.substring(0, 8)).contains("3 key slots; data-key epoch 1");

        // The first passphrase slot goes; the key file still opens, the old password no longer does.
        String firstPassphrase = null;
        assertThat(run("key", "list", "--json")).isZero();
        for (JsonNode s : json().get("key_slots")) {
            if (s.get("type").asText().equals("passphrase") && !s.get("slot_id").asText().equals(added)) {
                firstPassphrase = s.get("slot_id").asText();
            }
        }
        assertThat(run("key", "remove", firstPassphrase.substring(0, 6))).as(err).isZero();
        env.remove("LIFEBOAT_KEY_FILE");
        env.put("LIFEBOAT_PASSWORD", "first password");
        assertThat(run("snapshots")).isEqualTo(ExitCodes.WRONG_PASSWORD);
        assertThat(err).isEqualTo("lifeboat: wrong password: no key slot of the repository opens with it\n");
        env.put("LIFEBOAT_PASSWORD", "second password");
        assertThat(run("snapshots")).as(err).isZero();

        env.remove("LIFEBOAT_PASSWORD");
        env.put("LIFEBOAT_KEY_FILE", keyFile.toString());
        assertThat(run("key", "rotate", "--data")).as(err).isZero();
        assertThat(out).startsWith("started data-key epoch 2");
        assertThat(run("key", "list")).isZero();
        assertThat(out).contains("data-key epoch 2");
        assertThat(run("key", "rotate")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines()).singleElement().asString().contains("needs the new KMS key");

        // Removing the last slot is refused, whatever the flags.
        assertThat(run("key", "remove", added.substring(0, 8))).as(err).isZero();
        assertThat(run("key", "list", "--json")).isZero();
        String last = json().get("key_slots").get(0).get("slot_id").asText();
        assertThat(run("key", "remove", last, "--allow-no-recovery")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.lines()).singleElement().asString().startsWith("lifeboat: refusing to remove the last key slot");

        // Entries of the same second sort by a random suffix, so only the multiset is certain.
        assertThat(journalActions()).containsExactlyInAnyOrder("key-add", "key-remove", "key-rotate-data", "key-remove");
    }

    @Test
    void initWithAKmsKeyButNoRecoverySlotIsRefusedInOneLine() {
        env.put("LIFEBOAT_KMS_KEY_ID", "alias/anything");
        env.put("LIFEBOAT_KMS_ENDPOINT", "http://127.0.0.1:9");
        assertThat(run("init")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines()).singleElement().asString()
            .startsWith("lifeboat: refusing to create a repository whose only key slot is in KMS")
            .contains("--allow-kms-only");
        assertThat(Files.exists(repo.resolve("config"))).isFalse();
    }
}
