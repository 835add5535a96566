package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.common.engine.testing.TreeAssertions;
import io.lifeboat.testing.LocalInfra;
import io.lifeboat.testing.LocalInfraExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * KMS key slots through the CLI's entry point against the development KMS and S3Proxy: every test
 * makes its own KMS keys (CreateKey) and its own repository prefix, then disables or schedules the
 * deletion of its keys, never the shared bootstrap key.
 */
@ExtendWith(LocalInfraExtension.class)
class KeyKmsCliIT {
    @TempDir
    Path tmp;
    private final LocalInfra infra;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> keys = new ArrayList<>();
    private KmsClient admin;
    private String out;
    private String err;

    KeyKmsCliIT(LocalInfra infra) {
        this.infra = infra;
    }

    @BeforeEach
    void setUp() {
        admin = KmsClient.builder()
            .endpointOverride(infra.kmsEndpoint())
            .region(Region.of(infra.kmsRegion()))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(infra.kmsAccessKey(), infra.kmsSecretKey())))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
        env.put("LIFEBOAT_REPOSITORY", "s3:" + infra.s3Bucket() + "/it-keys-" + UUID.randomUUID());
        env.put("LIFEBOAT_S3_ENDPOINT", infra.s3Endpoint().toString());
        env.put("LIFEBOAT_S3_REGION", infra.s3Region());
        env.put("LIFEBOAT_S3_ACCESS_KEY", infra.s3AccessKey());
        env.put("LIFEBOAT_S3_SECRET_KEY", infra.s3SecretKey());
        env.put("LIFEBOAT_KMS_ENDPOINT", infra.kmsEndpoint().toString());
        env.put("LIFEBOAT_KMS_REGION", infra.kmsRegion());
        env.put("LIFEBOAT_KMS_ACCESS_KEY", infra.kmsAccessKey());
        env.put("LIFEBOAT_KMS_SECRET_KEY", infra.kmsSecretKey());
    }

    @AfterEach
    void retireKeys() {
        for (String k : keys) {
            try {
                admin.scheduleKeyDeletion(r -> r.keyId(k).pendingWindowInDays(7));
            } catch (RuntimeException e) {
                // already scheduled by the test
            }
        }
        admin.close();
    }

    private String createKey(String what) {
        String arn = admin.createKey(r -> r.description("KeyKmsCliIT " + what)).keyMetadata().arn();
        keys.add(arn);
        return arn;
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

    private Path restoreLatest(String name) {
        Path target = tmp.resolve(name);
        assertThat(run("restore", "latest", "--target", target.toString())).as(err).isZero();
        return target.resolve("data");
    }

    @Test
    void rotationToANewKekSurvivesDisablingTheOldOneAndThePassphraseSurvivesDeletingBoth() throws Exception {
        String oldKek = createKey("old");
        String newKek = createKey("new");
        String alias = "alias/it-keys-" + UUID.randomUUID();
        admin.createAlias(r -> r.aliasName(alias).targetKeyId(oldKek));
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "recovery password\n");

        // init names the KEK by alias; the slot records the ARN KMS returned.
        assertThat(run("init", "--kms-key-id", alias, "--password-file", pw.toString(), "--json")).as(err).isZero();
        assertThat(json().get("key_slots").findValuesAsText("type")).containsExactlyInAnyOrder("kms", "passphrase");
        assertThat(json().get("key_slots").findValues("kek_id")).filteredOn(n -> !n.isNull()).extracting(JsonNode::asText)
            .containsExactly(oldKek);

        // Back up and restore through the KMS slot alone: no password anywhere.
        Path data = RealRepositoryCliTest.randomTree(tmp.resolve("data"), 11, 5, 200_000);
        assertThat(run("backup", data.toString())).as(err).isZero();
        TreeAssertions.assertSameTree(data, restoreLatest("r1"));

        // Rotate the KEK (opening through the old KMS slot), then disable the old key.
        assertThat(run("key", "rotate", "--kms-key-id", newKek, "--json")).as(err).isZero();
        assertThat(json().get("old_kek_id").asText()).isEqualTo(oldKek);
        assertThat(json().get("new_kek_id").asText()).isEqualTo(newKek);
        admin.disableKey(r -> r.keyId(oldKek));
        assertThat(run("key", "list", "--json")).as(err).isZero();
        List<String> keks = new ArrayList<>();
        json().get("key_slots").forEach(slot -> {
            if (slot.get("type").asText().equals("kms")) {
                keks.add(slot.get("kek_id").asText());
            }
        });
        assertThat(keks).containsExactly(newKek);
        TreeAssertions.assertSameTree(data, restoreLatest("r2"));
        env.put("LIFEBOAT_KMS_KEY_ID", newKek);
        TreeAssertions.assertSameTree(data, restoreLatest("r3"));

        // Naming the retired KEK: one line, exit 12 (it wraps nothing here any more).
        env.put("LIFEBOAT_KMS_KEY_ID", oldKek);
        assertThat(run("snapshots")).isEqualTo(ExitCodes.WRONG_PASSWORD);
        assertThat(err).isEqualTo("lifeboat: KMS key " + oldKek + " wraps no key slot of the repository (its kms slots use "
            + newKek + ")\n");
        env.remove("LIFEBOAT_KMS_KEY_ID");

        // A disabled KEK: one line, exit 13.
        admin.disableKey(r -> r.keyId(newKek));
        assertThat(run("snapshots")).isEqualTo(ExitCodes.KEY_UNAVAILABLE);
        assertThat(err.lines()).singleElement().asString().startsWith("lifeboat: cannot open kms key slot ")
            .contains("KMS key " + newKek + " is disabled").endsWith("the repository also opens with a password (recovery slot)");

        // Every KMS key pending deletion: KMS alone fails, the passphrase recovery slot restores.
        admin.enableKey(r -> r.keyId(newKek));
        admin.scheduleKeyDeletion(r -> r.keyId(newKek).pendingWindowInDays(7));
        admin.scheduleKeyDeletion(r -> r.keyId(oldKek).pendingWindowInDays(7));
        assertThat(run("snapshots")).isEqualTo(ExitCodes.KEY_UNAVAILABLE);
        assertThat(err.lines()).singleElement().asString().contains(newKek).contains("pending deletion");
        env.put("LIFEBOAT_PASSWORD_FILE", pw.toString());
        TreeAssertions.assertSameTree(data, restoreLatest("r4"));

        // A wrong password, with no KMS configured at all: one line, exit 12.
        for (String k : List.of("LIFEBOAT_KMS_ENDPOINT", "LIFEBOAT_KMS_REGION")) {
            env.remove(k);
        }
        env.remove("LIFEBOAT_PASSWORD_FILE");
        env.put("LIFEBOAT_PASSWORD", "not the password");
        assertThat(run("snapshots")).isEqualTo(ExitCodes.WRONG_PASSWORD);
        assertThat(err).isEqualTo("lifeboat: wrong password: no key slot of the repository opens with it\n");

        env.put("LIFEBOAT_PASSWORD", "recovery password");
        assertThat(run("check", "--read-data")).as(out + err).isZero();
    }

    @Test
    void aKeyFileRecoverySlotRestoresOnceTheKmsKeyIsGoneAndAForeignKekIsRefused() throws Exception {
        String kek = createKey("kek");
        String foreign = createKey("foreign");
        Path keyFile = tmp.resolve("offsite/repo.key");
        assertThat(run("init", "--kms-key-id", kek, "--key-file", keyFile.toString())).as(err).isZero();
        assertThat(out).contains("created key file " + keyFile);

        Path data = RealRepositoryCliTest.randomTree(tmp.resolve("data"), 12, 3, 150_000);
        env.put("LIFEBOAT_KMS_KEY_ID", kek);
        assertThat(run("backup", data.toString())).as(err).isZero();
        TreeAssertions.assertSameTree(data, restoreLatest("r1"));

        // Add a second KMS slot and a passphrase slot, list them, remove the second KMS slot again.
        String second = createKey("second");
        assertThat(run("key", "add", "kms", "--kms-key-id", second, "--json")).as(err).isZero();
        String secondSlot = json().get("added").asText();
        assertThat(json().get("kek_id").asText()).isEqualTo(second);
        env.put("LIFEBOAT_NEW_PASSWORD", "added password");
        assertThat(run("key", "add", "passphrase")).as(err).isZero();
        env.remove("LIFEBOAT_NEW_PASSWORD");
        assertThat(run("key", "list")).as(err).isZero();
        assertThat(out).contains("kms").contains("keyfile").contains("passphrase").contains(kek).contains(second)
            .contains("4 key slots");
        assertThat(run("key", "remove", secondSlot)).as(err).isZero();

        // A KEK of the same account that wraps nothing in this repository.
        env.put("LIFEBOAT_KMS_KEY_ID", foreign);
        assertThat(run("snapshots")).isEqualTo(ExitCodes.WRONG_PASSWORD);
        assertThat(err.lines()).singleElement().asString()
            .isEqualTo("lifeboat: KMS key " + foreign + " wraps no key slot of the repository (its kms slots use " + kek + ")");

        // A KEK that does not exist at all.
        env.put("LIFEBOAT_KMS_KEY_ID", "alias/it-keys-missing-" + UUID.randomUUID());
        assertThat(run("snapshots")).isEqualTo(ExitCodes.KEY_UNAVAILABLE);
        assertThat(err.lines()).singleElement().asString().contains("does not exist");

        // The KMS key scheduled for deletion: the off-site key file restores bit for bit.
        admin.scheduleKeyDeletion(r -> r.keyId(kek).pendingWindowInDays(7));
        env.put("LIFEBOAT_KMS_KEY_ID", kek);
        assertThat(run("snapshots")).isEqualTo(ExitCodes.KEY_UNAVAILABLE);
        env.put("LIFEBOAT_KEY_FILE", keyFile.toString());
        TreeAssertions.assertSameTree(data, restoreLatest("r2"));

        // A wrong key file: one line, exit 12, even with the KMS failing too the line stays one line.
        env.remove("LIFEBOAT_KMS_KEY_ID");
        env.remove("LIFEBOAT_KMS_ENDPOINT");
        env.remove("LIFEBOAT_KMS_REGION");
        Path wrong = tmp.resolve("offsite/wrong.key");
        io.lifeboat.common.keys.local.LocalKeyProvider.generate(wrong);
        env.put("LIFEBOAT_KEY_FILE", wrong.toString());
        assertThat(run("snapshots")).isEqualTo(ExitCodes.WRONG_PASSWORD);
        assertThat(err.lines()).singleElement().asString().startsWith("lifeboat: wrong key file: ");

        // Every key change left a signed journal entry.
        env.put("LIFEBOAT_KEY_FILE", keyFile.toString());
        try (var repo = new FormatBackend(env).open(RepositoryLocation.parse(env.get("LIFEBOAT_REPOSITORY")),
                io.lifeboat.common.keys.KeyCredentials.none().withKeyFile(
                    io.lifeboat.common.keys.local.LocalKeyProvider.open(keyFile)))) {
            var actions = ((io.lifeboat.common.repository.PackRepository) repo).journal().stream()
                .map(j -> j.entry().action()).toList();
            assertThat(actions).contains("backup", "key-add", "key-remove", "restore");
            assertThat(actions.stream().filter("key-add"::equals)).hasSize(2);
        }
    }

    @Test
    void aKmsOnlyRepositoryNeedsTheExplicitOverride() {
        String kek = createKey("only");
        env.put("LIFEBOAT_KMS_KEY_ID", kek);
        assertThat(run("init")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines()).singleElement().asString().startsWith("lifeboat: refusing to create a repository whose only key slot is in KMS");
        assertThat(run("init", "--allow-kms-only", "--json")).as(err).isZero();
        assertThat(run("snapshots")).as(err).isZero();
        assertThat(run("key", "list", "--json")).as(err).isZero();
        String only;
        try {
            only = json().get("key_slots").get(0).get("slot_id").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(run("key", "remove", only)).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.lines()).singleElement().asString().startsWith("lifeboat: refusing to remove the last key slot");
    }
}
