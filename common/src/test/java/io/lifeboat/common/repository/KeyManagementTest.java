package io.lifeboat.common.repository;

import static io.lifeboat.common.repository.RepositoryFixtures.PASSWORD;
import static io.lifeboat.common.repository.RepositoryFixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.keys.FakeKms;
import io.lifeboat.common.keys.KeyCredentials;
import io.lifeboat.common.keys.ScryptParams;
import io.lifeboat.common.keys.local.LocalKeyProvider;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyManagementTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final FakeKms kms = new FakeKms();
    @TempDir
    Path tmp;

    private PackRepository open(KeyCredentials c) {
        return Repositories.open(store, c, OpenOptions.defaults());
    }

    private PackRepository initKmsAndPassphrase(String arn) {
        return Repositories.init(store, KeyCredentials.ofPassphrase(PASSWORD.clone()).withKms(kms, arn), false,
            InitOptions.forTests(), OpenOptions.defaults());
    }

    @Test
    void aKmsSlotOpensAloneAndRotationToANewKekKeepsEveryBlob() {
        String oldKek = kms.createKey();
        String newKek = kms.createKey();
        byte[] data = randomBytes(3000, 7);
        try (PackRepository repo = initKmsAndPassphrase(oldKek)) {
            repo.saveBlob(BlobType.DATA, data);
            repo.flush();
            assertThat(repo.keySlots()).extracting(PackRepository.KeySlotInfo::type).containsExactlyInAnyOrder("kms", "passphrase");
        }
        try (PackRepository repo = open(KeyCredentials.none().withKms(kms, null))) {
            String kmsSlot = repo.keySlots().stream().filter(s -> s.type().equals("kms")).findFirst().orElseThrow().slotId();
            assertThat(repo.keySlots()).filteredOn(s -> s.type().equals("kms")).extracting(PackRepository.KeySlotInfo::kekId)
                .containsExactly(oldKek);
            repo.rotateKmsSlot(kmsSlot, kms.provider(newKek));
            assertThat(repo.keySlots()).filteredOn(s -> s.type().equals("kms")).extracting(PackRepository.KeySlotInfo::kekId)
                .containsExactly(newKek);
        }
        kms.disable(oldKek);
        try (PackRepository repo = open(KeyCredentials.none().withKms(kms, newKek))) {
            assertThat(repo.loadBlob(repo.blobId(data))).isEqualTo(data);
        }
        assertThatThrownBy(() -> open(KeyCredentials.none().withKms(kms, oldKek))).isInstanceOf(WrongPasswordException.class)
            .hasMessage("KMS key " + oldKek + " wraps no key slot of the repository (its kms slots use " + newKek + ")");
        kms.disable(newKek);
        assertThatThrownBy(() -> open(KeyCredentials.none().withKms(kms, null))).isInstanceOf(KeyUnavailableException.class)
            .hasMessageContaining(": KMS key " + newKek + " is disabled; ")
            .hasMessageEndingWith("the repository also opens with a password (recovery slot)");
        kms.delete(newKek);
        kms.delete(oldKek);
        try (PackRepository repo = open(KeyCredentials.ofPassphrase(PASSWORD.clone()).withKms(kms, null))) {
            assertThat(repo.loadBlob(repo.blobId(data))).isEqualTo(data);
        }
    }

    @Test
    void initRefusesAKmsOnlyRepositoryUnlessAllowed() {
        String arn = kms.createKey();
        assertThatThrownBy(() -> Repositories.init(store, KeyCredentials.none().withKms(kms, arn), false, InitOptions.forTests(),
            OpenOptions.defaults())).isInstanceOf(RepositoryException.class).hasMessageStartingWith("refusing to create a repository whose only key slot is in KMS");
        assertThat(store.exists(RepositoryLayout.CONFIG)).isFalse();
        Repositories.init(store, KeyCredentials.none().withKms(kms, arn), true, InitOptions.forTests(), OpenOptions.defaults()).close();
        try (PackRepository repo = open(KeyCredentials.none().withKms(kms, arn))) {
            assertThat(repo.keySlots()).singleElement().satisfies(s -> assertThat(s.kekId()).isEqualTo(arn));
        }
    }

    @Test
    void aKeyFileSlotIsARecoverySlotAndTheLastOneIsKept() {
        Path keyFile = tmp.resolve("repo.key");
        Path wrongFile = tmp.resolve("other.key");
        LocalKeyProvider.generate(keyFile);
        LocalKeyProvider.generate(wrongFile);
        String arn = kms.createKey();
        try (PackRepository repo = Repositories.init(store, KeyCredentials.none().withKms(kms, arn)
                .withKeyFile(LocalKeyProvider.open(keyFile)), false, InitOptions.forTests(), OpenOptions.defaults())) {
            String keyfileSlot = repo.keySlots().stream().filter(s -> s.type().equals("keyfile")).findFirst().orElseThrow().slotId();
            String kmsSlot = repo.keySlots().stream().filter(s -> s.type().equals("kms")).findFirst().orElseThrow().slotId();
            assertThatThrownBy(() -> repo.removeKeySlot(keyfileSlot)).hasMessageStartingWith("refusing to remove the last offline recovery slot");
            String pw = repo.addPassphraseSlot(PASSWORD, ScryptParams.forTests());
            repo.removeKeySlot(keyfileSlot);
            assertThatThrownBy(() -> repo.removeKeySlot(pw)).hasMessageStartingWith("refusing to remove the last offline recovery slot");
            repo.addWrappedSlot(LocalKeyProvider.open(keyFile));
            repo.removeKeySlot(kmsSlot);
        }
        try (PackRepository repo = open(KeyCredentials.none().withKeyFile(LocalKeyProvider.open(keyFile)))) {
            assertThat(repo.keySlots()).extracting(PackRepository.KeySlotInfo::type).containsExactlyInAnyOrder("keyfile", "passphrase");
        }
        assertThatThrownBy(() -> open(KeyCredentials.none().withKeyFile(LocalKeyProvider.open(wrongFile))))
            .isInstanceOf(WrongPasswordException.class).hasMessageStartingWith("wrong key file: ");
        assertThatThrownBy(() -> open(KeyCredentials.ofPassphrase("nope".toCharArray())))
            .isInstanceOf(WrongPasswordException.class).hasMessage("wrong password: no key slot of the repository opens with it");
        assertThatThrownBy(() -> open(KeyCredentials.none())).isInstanceOf(WrongPasswordException.class)
            .hasMessageContaining("no credentials");
    }

    @Test
    void aSecondPassphraseOpensTheSameRepositoryAndCanOutliveTheFirst() {
        char[] second = "recovery sheet passphrase".toCharArray();
        String firstSlot;
        byte[] data = randomBytes(1000, 1);
        try (PackRepository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            repo.saveBlob(BlobType.DATA, data);
            repo.flush();
            firstSlot = repo.keySlots().get(0).slotId();
            repo.addPassphraseSlot(second, ScryptParams.forTests());
            assertThat(repo.keySlots()).hasSize(2).allSatisfy(s -> assertThat(s.type()).isEqualTo("passphrase"));
        }
        try (PackRepository repo = Repositories.open(store, second)) {
            assertThat(repo.loadBlob(repo.blobId(data))).isEqualTo(data);
            repo.removeKeySlot(firstSlot);
            String remaining = repo.keySlots().get(0).slotId();
            assertThatThrownBy(() -> repo.removeKeySlot(remaining)).hasMessageContaining("last key slot");
        }
        assertThatThrownBy(() -> Repositories.open(store, PASSWORD)).isInstanceOf(WrongPasswordException.class);
    }

    @Test
    void aNewDataKeyEpochIsUsedByLaterSessionsWhileOldBlobsStillLoad() {
        byte[] old = randomBytes(2000, 1);
        byte[] fresh = randomBytes(2000, 2);
        try (PackRepository repo = Repositories.init(store, PASSWORD, InitOptions.forTests())) {
            repo.saveBlob(BlobType.DATA, old);
            repo.flush();
            assertThat(repo.dataKeyEpoch()).isEqualTo(1);
            assertThat(repo.startDataKeyEpoch()).isEqualTo(2);
        }
        try (PackRepository repo = Repositories.open(store, PASSWORD)) {
            assertThat(repo.dataKeyEpoch()).isEqualTo(2);
            repo.saveBlob(BlobType.DATA, fresh);
            repo.flush();
            assertThat(repo.loadBlob(repo.blobId(old))).isEqualTo(old);
            assertThat(repo.loadBlob(repo.blobId(fresh))).isEqualTo(fresh);
            assertThat(new RepositoryChecker(repo).readData(100).ok()).isTrue();
        }
    }
}
