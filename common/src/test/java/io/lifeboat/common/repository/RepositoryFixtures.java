package io.lifeboat.common.repository;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builders of test data for repository tests. */
final class RepositoryFixtures {
    static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    private RepositoryFixtures() {
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Compressible content: repeated text with a seed-dependent header. */
    static byte[] textBytes(int size, long seed) {
        byte[] b = new byte[size];
        byte[] pattern = ("lifeboat-" + seed + " the quick brown fox jumps over the lazy dog\n").getBytes();
        for (int i = 0; i < size; i++) {
            b[i] = pattern[i % pattern.length];
        }
        return b;
    }

    static SnapshotSpec spec(BlobId root, String... paths) {
        return new SnapshotSpec("files", root, "host1", "alice", List.of(paths), List.of("daily"), null,
            Instant.parse("2026-01-02T03:04:05Z"), Map.of("files", 3L), Map.of("k", "v"));
    }
}
