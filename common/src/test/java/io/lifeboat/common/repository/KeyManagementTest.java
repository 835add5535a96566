package io.lifeboat.common.repository;

import static io.lifeboat.common.repository.RepositoryFixtures.PASSWORD;
import static io.lifeboat.common.repository.RepositoryFixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.keys.ScryptParams;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import org.junit.jupiter.api.Test;

class KeyManagementTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();

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
