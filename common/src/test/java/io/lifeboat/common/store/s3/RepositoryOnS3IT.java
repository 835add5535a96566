package io.lifeboat.common.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.BlobType;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.repository.Repository;
import io.lifeboat.common.repository.SnapshotSpec;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.decorator.FaultInjectingObjectStore;
import io.lifeboat.common.store.decorator.InMemoryStoreMetrics;
import io.lifeboat.common.store.decorator.ObjectStoreStack;
import io.lifeboat.common.store.decorator.RetryPolicy;
import io.lifeboat.common.store.decorator.StoreOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The repository format on the S3 adapter, through the production decorator stack, with 5% of
 * store calls failing (half of the failed writes after the write happened): init, save blobs
 * across several packs, commit, reopen from the bucket and read everything back.
 */
class RepositoryOnS3IT {
    private static final char[] PASSWORD = "s3 repository test".toCharArray();

    private final S3ObjectStore s3 = S3ObjectStore.open(LocalS3.config().build());

    @AfterEach
    void cleanUp() {
        List<String> keys = new ArrayList<>();
        s3.list("", i -> keys.add(i.key()));
        keys.forEach(s3::delete);
        s3.close();
    }

    private ObjectStore flakyStack(long seed, InMemoryStoreMetrics metrics) {
        FaultInjectingObjectStore faulty = FaultInjectingObjectStore.builder(s3)
                .seed(seed).failureRate(0.05).afterWriteFraction(0.5).build();
        return ObjectStoreStack.standard(faulty,
                new RetryPolicy(10, Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofMinutes(1)), metrics, 0, 0);
    }

    @Test
    void aRepositoryOnS3SurvivesFlakyCallsAndReopens() {
        Map<BlobId, byte[]> saved = new LinkedHashMap<>();
        InMemoryStoreMetrics metrics = new InMemoryStoreMetrics();
        String snapshotId;
        try (Repository repo = Repositories.init(flakyStack(1, metrics), PASSWORD,
                InitOptions.forTests().withPackSizeTarget(256 * 1024))) {
            Random random = new Random(5);
            for (int i = 0; i < 60; i++) {
                byte[] data = new byte[20_000 + random.nextInt(30_000)];
                random.nextBytes(data);
                BlobId id = repo.blobId(data, 0, data.length);
                repo.saveBlob(BlobType.DATA, id, data, 0, data.length);
                saved.put(id, data);
            }
            byte[] tree = "root tree".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            BlobId root = repo.blobId(tree, 0, tree.length);
            repo.saveBlob(BlobType.TREE, root, tree, 0, tree.length);
            repo.flush();
            snapshotId = repo.commitSnapshot(new SnapshotSpec("files", root, "host", "user", List.of("/data"),
                    List.of(), null, Instant.parse("2026-11-23T00:00:00Z"), Map.of(), Map.of())).id().toString();
        }
        assertThat(metrics.snapshot(StoreOperation.PUT).calls()).isGreaterThan(5);

        List<String> packs = new ArrayList<>();
        s3.list("data/", i -> packs.add(i.key()));
        assertThat(packs).hasSizeGreaterThan(3);

        try (Repository again = Repositories.open(flakyStack(2, new InMemoryStoreMetrics()), PASSWORD)) {
            assertThat(again.snapshots()).singleElement()
                    .satisfies(s -> assertThat(s.id().toString()).isEqualTo(snapshotId));
            for (Map.Entry<BlobId, byte[]> e : saved.entrySet()) {
                assertThat(again.loadBlob(e.getKey())).isEqualTo(e.getValue());
            }
        }
    }
}
