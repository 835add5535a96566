package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wal-push, wal-fetch and wal-verify in-process against the real format on a local directory. */
class WalCliTest {
    private static final int SEG = 1 << 20;

    @TempDir
    Path tmp;
    final Map<String, String> env = new HashMap<>();
    String out;
    String err;

    @BeforeEach
    void setUp() {
        InProcessCli.localRepository(tmp.resolve("repo"), env);
        env.put("LIFEBOAT_PG_CLUSTER", "main");
    }

    int run(String... args) {
        InProcessCli.Result r = InProcessCli.execute(new FormatBackend(), env, args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    Path segment(String name, long seed) throws Exception {
        byte[] b = new byte[SEG];
        new Random(seed).nextBytes(b);
        Path dir = Files.createDirectories(tmp.resolve("pg_wal"));
        return Files.write(dir.resolve(name), b);
    }

    /** A postgres-base snapshot with the labels backup-postgres-base records (the tree is a stand-in). */
    private String baseBackup(io.lifeboat.common.repository.PackRepository repo, long segment, java.time.Instant finished) {
        byte[] tree = ("{\"nodes\":[],\"n\":" + segment + "}").getBytes(StandardCharsets.UTF_8);
        repo.saveBlob(io.lifeboat.common.repository.BlobType.TREE, tree);
        String start = "0/" + Long.toHexString(segment * SEG + 40).toUpperCase(java.util.Locale.ROOT);
        String stop = "0/" + Long.toHexString(segment * SEG + 400).toUpperCase(java.util.Locale.ROOT);
        Map<String, String> labels = Map.of("cluster", "main", "timeline", "1", "start_lsn", start, "stop_lsn", stop,
            "start_segment", String.format("0000000100000000%08X", segment), "wal_mode", "none",
            "backup_started", finished.minusSeconds(5).toString(), "backup_finished", finished.toString(),
            "system_identifier", "7300000000000000001", "wal_segment_size", Integer.toString(SEG));
        return repo.commitSnapshot(new io.lifeboat.common.repository.SnapshotSpec("postgres-base", repo.blobId(tree), "db", "postgres",
            java.util.List.of("/"), java.util.List.of(), null, finished, Map.of(), labels)).id().hex();
    }

    @Test
    void pruneExpiresTheWalOfBaseBackupsForgottenWithoutForgetsWalStep() throws Exception {
        for (int n = 1; n <= 5; n++) {
            assertThat(run("wal-push", segment(String.format("0000000100000000%08X", n), n).toString())).as(err).isZero();
        }
        java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
        try (var repo = Repositories.open(new LocalObjectStore(tmp.resolve("repo")), "pw".toCharArray())) {
            String first = baseBackup(repo, 2, t);
            baseBackup(repo, 4, t.plusSeconds(60));
            // Forgotten without the WAL step (by hand, or by a Lifeboat before it).
            io.lifeboat.common.maintenance.Maintenance.forget(repo, java.util.List.of(first), "test");
        }
        assertThat(run("--json", "prune", "--dry-run")).as(err).isZero();
        assertThat(out).contains("\"expired_wal_files\":3");
        assertThat(run("--json", "wal-verify", "--wal-segment-size", String.valueOf(SEG))).isZero();
        assertThat(out).contains("\"first_segment\":\"000000010000000000000001\"");

        assertThat(run("prune", "--lease-settle", "0s")).as(err).isZero();
        assertThat(out).contains("WAL of cluster main: expired 3 file(s) older than its oldest base backup");
        assertThat(run("--json", "wal-verify", "--wal-segment-size", String.valueOf(SEG))).isZero();
        assertThat(out).contains("\"first_segment\":\"000000010000000000000004\"").contains("\"ok\":true");
        assertThat(run("--json", "prune", "--lease-settle", "0s")).as(err).isZero();
        assertThat(out).contains("\"expired_wal_files\":0");
    }

    @Test
    void pushFetchAndVerify() throws Exception {
        Path s1 = segment("000000010000000000000001", 1);
        Path s2 = segment("000000010000000000000002", 2);
        Path s4 = segment("000000010000000000000004", 4);
        assertThat(run("wal-push", s1.toString())).as(err).isZero();
        assertThat(run("wal-push", s1.toString())).as("idempotent: " + err).isZero();
        assertThat(run("wal-push", s2.toString())).isZero();

        assertThat(run("wal-verify", "--wal-segment-size", String.valueOf(SEG))).as(out + err).isZero();
        assertThat(out).contains("no gaps");

        Path target = tmp.resolve("restored/RECOVERYXLOG");
        Files.createDirectories(target.getParent());
        assertThat(run("wal-fetch", "000000010000000000000002", target.toString())).as(err).isZero();
        assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(s2));

        assertThat(run("wal-fetch", "000000010000000000000003", target.toString())).isEqualTo(1);
        assertThat(run("wal-fetch", "00000002.history", target.toString())).isEqualTo(1);

        assertThat(run("wal-push", s4.toString())).isZero();
        assertThat(run("--json", "wal-verify", "--wal-segment-size", String.valueOf(SEG))).isEqualTo(1);
        assertThat(out).contains("\"first_missing\":\"000000010000000000000003\"").contains("\"ok\":false");
    }

    @Test
    void differentContentUnderAnArchivedNameIsRefused() throws Exception {
        Path s1 = segment("000000010000000000000001", 1);
        assertThat(run("wal-push", s1.toString())).isZero();
        Path other = segment("000000010000000000000001", 9);
        assertThat(run("wal-push", other.toString())).isEqualTo(1);
        assertThat(err).contains("already archived").doesNotContain("\n\n");
    }

    @Test
    void aWrongPasswordAbortsRecoveryInsteadOfLookingLikeAMissingFile() {
        env.put("LIFEBOAT_PASSWORD", "wrong");
        assertThat(run("wal-fetch", "000000010000000000000001", tmp.resolve("x").toString())).isEqualTo(126);
        assertThat(err).contains("wrong password");
    }

    @Test
    void usageErrors() throws Exception {
        env.remove("LIFEBOAT_PG_CLUSTER");
        Path s1 = segment("000000010000000000000001", 1);
        assertThat(run("wal-push", s1.toString())).isEqualTo(2);
        assertThat(err).contains("--cluster");
        assertThat(run("wal-push", "--cluster", "main", tmp.resolve("pg_wal/notwal").toString())).isEqualTo(2);
    }
}
