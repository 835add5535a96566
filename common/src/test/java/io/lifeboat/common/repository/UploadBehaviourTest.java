package io.lifeboat.common.repository;

import static io.lifeboat.common.repository.RepositoryFixtures.PASSWORD;
import static io.lifeboat.common.repository.RepositoryFixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.TransientStoreException;
import io.lifeboat.common.store.decorator.ForwardingObjectStore;
import io.lifeboat.common.store.memory.InMemoryObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UploadBehaviourTest {
    private final InMemoryObjectStore memory = new InMemoryObjectStore();

    /** Delegates to memory; pack puts can be held or made to fail. */
    private final class ControlledStore extends ForwardingObjectStore {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean holdPacks = new AtomicBoolean();
        final AtomicBoolean failPacks = new AtomicBoolean();

        ControlledStore() {
            super(memory);
        }

        @Override
        public void put(String key, byte[] data, PutOptions options) {
            if (key.startsWith(RepositoryLayout.DATA)) {
                if (failPacks.get()) {
                    throw new TransientStoreException("simulated 503 for " + key, null);
                }
                if (holdPacks.get()) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new TransientStoreException("interrupted", e);
                    }
                }
            }
            memory.put(key, data, options);
        }

        @Override
        public String describe() {
            return "controlled";
        }
    }

    @Test
    void savingBlocksOnceTheBoundedNumberOfPacksAwaitsUpload() throws Exception {
        ControlledStore store = new ControlledStore();
        OpenOptions options = new OpenOptions("test@host", 1, 2);
        Repositories.init(store, PASSWORD, InitOptions.forTests().withPackSizeTarget(4096), options).close();
        store.holdPacks.set(true);
        AtomicInteger saved = new AtomicInteger();
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            blobs.add(randomBytes(5000, i)); // each blob fills a pack on its own
        }
        try (Repository repo = Repositories.open(store, PASSWORD, options)) {
            Thread producer = new Thread(() -> {
                for (byte[] b : blobs) {
                    repo.saveBlob(BlobType.DATA, b);
                    saved.incrementAndGet();
                }
            });
            producer.start();
            await().until(() -> producer.getState() == Thread.State.WAITING);
            // two packs in flight (one uploading, one queued); the third blocks in saveBlob
            assertThat(saved.get()).isLessThanOrEqualTo(2);
            store.release.countDown();
            producer.join();
            repo.flush();
            for (byte[] b : blobs) {
                assertThat(repo.loadBlob(repo.blobId(b))).isEqualTo(b);
            }
        }
    }

    @Test
    void aFailedPackUploadFailsFlushAndCommitWithoutASnapshot() {
        ControlledStore store = new ControlledStore();
        Repositories.init(store, PASSWORD, InitOptions.forTests()).close();
        store.failPacks.set(true);
        try (Repository repo = Repositories.open(store, PASSWORD)) {
            byte[] tree = "t".getBytes();
            repo.saveBlob(BlobType.TREE, tree);
            assertThatThrownBy(() -> repo.commitSnapshot(RepositoryFixtures.spec(repo.blobId(tree), "/x")))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("pack upload to controlled failed")
                .hasMessageContaining("simulated 503");
            assertThatThrownBy(() -> repo.saveBlob(BlobType.DATA, new byte[] {1})).isInstanceOf(RepositoryException.class);
        }
        List<String> snapshots = new ArrayList<>();
        memory.list(RepositoryLayout.SNAPSHOTS, i -> snapshots.add(i.key()));
        assertThat(snapshots).isEmpty();
    }

    @Test
    void theSameBlobSavedByManyThreadsAtOnceIsStoredOnce() throws Exception {
        try (PackRepository repo = Repositories.init(memory, PASSWORD, InitOptions.forTests())) {
            byte[] data = randomBytes(100_000, 3);
            int threads = 6;
            CyclicBarrier start = new CyclicBarrier(threads);
            AtomicInteger added = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    if (repo.saveBlob(BlobType.DATA, data)) {
                        added.incrementAndGet();
                    }
                });
                th.start();
                ts.add(th);
            }
            for (Thread th : ts) {
                th.join();
            }
            repo.flush();
            assertThat(added.get()).isEqualTo(1);
            assertThat(repo.stats().blobs()).isEqualTo(1);
        }
    }
}
