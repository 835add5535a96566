package io.lifeboat.common.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.engine.BackupCounters;
import io.lifeboat.common.engine.ContentWriter;
import io.lifeboat.common.engine.ProgressListener;
import io.lifeboat.common.engine.testing.FixedSizeChunker;
import io.lifeboat.common.engine.testing.InMemoryRepository;
import io.lifeboat.common.repository.BlobId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A dump's head is chunked apart from the rest; the stored content is still exactly the dump. */
class PostgresArchiveHeadTest {
    private final InMemoryRepository repo = new InMemoryRepository();

    @Test
    void contentIsTheWholeInputAndTheRestStartsItsOwnChunksAfterTheHead() throws Exception {
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 100, PostgresLogicalSource.HEADER_BLOB - 1, PostgresLogicalSource.HEADER_BLOB,
            PostgresLogicalSource.HEADER_BLOB + 1, 10_000, 100_003}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            ContentWriter.Stored stored;
            try (ContentWriter w = new ContentWriter(repo, new FixedSizeChunker(8192), new BackupCounters())) {
                stored = PostgresLogicalSource.writeArchive(w, new ByteArrayInputStream(data), ProgressListener.NONE);
            }
            assertThat(stored.size()).isEqualTo(size);
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            for (BlobId id : stored.content()) {
                back.write(repo.loadBlob(id));
            }
            assertThat(back.toByteArray()).as("size %d", size).isEqualTo(data);
            if (size > PostgresLogicalSource.HEADER_BLOB) {
                // Without the cut the first 8192-byte chunk would hold the head and the start of the rest.
                assertThat(repo.loadBlob(stored.content().get(0))).hasSize(PostgresLogicalSource.HEADER_BLOB);
                assertThat(repo.loadBlob(stored.content().get(1))).isEqualTo(java.util.Arrays.copyOfRange(data,
                    PostgresLogicalSource.HEADER_BLOB, Math.min(size, PostgresLogicalSource.HEADER_BLOB + 8192)));
            }
        }
    }

    @Test
    void aChangedTimeStampInTheHeadLeavesTheRestsChunksUnchanged() throws Exception {
        byte[] a = new byte[50_000];
        new Random(7).nextBytes(a);
        byte[] b = a.clone();
        b[18] ^= 1; // the seconds of pg_dump's time stamp
        try (ContentWriter w = new ContentWriter(repo, new FixedSizeChunker(1 << 20), new BackupCounters())) {
            ContentWriter.Stored first = PostgresLogicalSource.writeArchive(w, new ByteArrayInputStream(a),
                ProgressListener.NONE);
            ContentWriter.Stored second = PostgresLogicalSource.writeArchive(w, new ByteArrayInputStream(b),
                ProgressListener.NONE);
            assertThat(first.content()).hasSize(2);
            assertThat(second.content().get(0)).isNotEqualTo(first.content().get(0));
            assertThat(second.content().get(1)).isEqualTo(first.content().get(1));
        }
    }
}
