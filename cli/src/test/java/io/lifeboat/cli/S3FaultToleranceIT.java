package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lifeboat.common.engine.testing.TreeAssertions;
import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.decorator.FaultInjectingObjectStore;
import io.lifeboat.common.store.decorator.RetryPolicy;
import io.lifeboat.common.store.decorator.RetryingObjectStore;
import io.lifeboat.common.store.s3.S3Credentials;
import io.lifeboat.common.store.s3.S3ObjectStore;
import io.lifeboat.common.store.s3.S3StoreConfig;
import io.lifeboat.testing.LocalInfra;
import io.lifeboat.testing.PrivateServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against the real S3Proxy when S3 misbehaves: 10% of calls failing (some after the write
 * happened), and the server killed with SIGKILL mid-backup and restarted on the same port. Each
 * backup either completes and passes {@code check --read-data} with a bit-for-bit restore, or, when
 * the outage outlasts the retry budget, fails with one line, leaves no snapshot, and the next backup
 * reuses the packs it had indexed.
 */
class S3FaultToleranceIT {
    private static final String PASSWORD = "fault tolerance test";

    @TempDir
    Path tmp;

    private static S3StoreConfig.Builder config(Map<String, String> env, String prefix) {
        return S3StoreConfig.builder(env.get("LIFEBOAT_S3_REGION"), env.get("LIFEBOAT_S3_BUCKET"))
            .endpoint(URI.create(env.get("LIFEBOAT_S3_ENDPOINT"))).pathStyle(true).keyPrefix(prefix)
            .credentials(S3Credentials.of(env.get("LIFEBOAT_S3_ACCESS_KEY"), env.get("LIFEBOAT_S3_SECRET_KEY")));
    }

    /** A repository with small packs (so a few tens of MB make many packs and several indexes). */
    private static void initRepository(Map<String, String> env, String prefix, long packSize) {
        try (ObjectStore s3 = retrying(S3ObjectStore.open(config(env, prefix).build()))) {
            Repositories.init(s3, PASSWORD.toCharArray(), InitOptions.forTests().withPackSizeTarget(packSize)).close();
        }
    }

    /** The test's own calls ride out a loaded machine too. */
    private static ObjectStore retrying(ObjectStore s3) {
        return new RetryingObjectStore(s3, new RetryPolicy(10, Duration.ofMillis(50), Duration.ofSeconds(1),
            Duration.ofSeconds(30)));
    }

    private static void deleteAll(Map<String, String> env, String prefix) {
        try (ObjectStore s3 = retrying(S3ObjectStore.open(config(env, prefix).build()))) {
            List<String> keys = new ArrayList<>();
            s3.list("", i -> keys.add(i.key()));
            keys.forEach(s3::delete);
        }
    }

    private static long count(Map<String, String> env, String prefix, String under) {
        try (ObjectStore s3 = S3ObjectStore.open(config(env, prefix).connectTimeout(Duration.ofSeconds(2)).build())) {
            AtomicLong n = new AtomicLong();
            s3.list(under, i -> n.incrementAndGet());
            return n.get();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private InProcessCli cli(Map<String, String> s3Env, String prefix,
            java.util.function.UnaryOperator<ObjectStore> adapters) {
        InProcessCli cli = new InProcessCli(adapters);
        cli.env.putAll(s3Env);
        cli.env.put("LIFEBOAT_REPOSITORY", "s3:" + s3Env.get("LIFEBOAT_S3_BUCKET") + "/" + prefix);
        cli.env.put("LIFEBOAT_PASSWORD", PASSWORD);
        return cli;
    }

    /**
     * Runs a command on a thread of its own, as the CLI runs on its main thread: not in the common
     * fork-join pool, which has a single worker on a two-core machine and which the JDK HTTP
     * client's own completion stages may need while the command blocks on a response.
     */
    private static CompletableFuture<InProcessCli.Result> inBackground(Supplier<InProcessCli.Result> command) {
        CompletableFuture<InProcessCli.Result> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(command.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "lifeboat-cli-under-test");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private void assertChecksAndRestores(InProcessCli cli, Path data) throws Exception {
        InProcessCli.Result check = cli.run("check", "--read-data", "--json");
        assertThat(check.code()).as(check.toString()).isZero();
        assertThat(check.json().get("ok").asBoolean()).isTrue();
        assertThat(check.json().get("packs_read").asLong()).isPositive();
        Path out = tmp.resolve("restored-" + UUID.randomUUID());
        InProcessCli.Result restore = cli.run("restore", "latest", "--target", out.toString());
        assertThat(restore.code()).as(restore.toString()).isZero();
        TreeAssertions.assertSameTree(data, out.resolve(data.getFileName()));
    }

    @Test
    void aBackupThroughTenPercentFailingCallsCompletesAndChecksClean() throws Exception {
        Map<String, String> env = LocalInfra.shared().env();
        String prefix = "it/cli-faults/" + UUID.randomUUID();
        Path data = tmp.resolve("data");
        InProcessCli.randomTree(data, 3, 40, 1_500_000);
        initRepository(env, prefix, 512 << 10);
        List<FaultInjectingObjectStore> faulty = new CopyOnWriteArrayList<>();
        AtomicLong seed = new AtomicLong(42);
        InProcessCli cli = cli(env, prefix, store -> {
            // Every operation, half of the failed writes after the write really happened.
            FaultInjectingObjectStore f = FaultInjectingObjectStore.builder(store).seed(seed.incrementAndGet())
                .failureRate(0.10).afterWriteFraction(0.5).build();
            faulty.add(f);
            return f;
        });
        try {
            InProcessCli.Result backup = cli.run("backup", "--json", "--retry-budget", "1m", data.toString());
            assertThat(backup.code()).as(backup.toString()).isZero();
            assertThat(backup.json().get("files_new").asLong()).isEqualTo(40);
            long injectedInBackup = faulty.stream().mapToLong(FaultInjectingObjectStore::injectedFaults).sum();
            assertThat(injectedInBackup).as("faults injected during the backup").isPositive();

            assertChecksAndRestores(cli, data);
            long injected = faulty.stream().mapToLong(FaultInjectingObjectStore::injectedFaults).sum();
            long calls = faulty.stream().mapToLong(FaultInjectingObjectStore::calls).sum();
            assertThat(injected).as("faults in %s calls", calls).isGreaterThanOrEqualTo(10);
            InProcessCli.Result again = cli.run("backup", "--json", data.toString());
            assertThat(again.code()).as(again.toString()).isZero();
            assertThat(again.json().get("files_unmodified").asLong()).isEqualTo(40);
        } finally {
            deleteAll(env, prefix);
        }
    }

    @Test
    void aBackupRidesOutTheS3ServerKilledAndRestartedMidway() throws Exception {
        try (PrivateServer s3 = LocalInfra.startPrivate("s3proxy", tmp.resolve("s3proxy"))) {
            Map<String, String> env = s3.env();
            String prefix = "rides-out";
            Path data = tmp.resolve("data");
            InProcessCli.randomTree(data, 5, 30, 1_500_000);
            initRepository(env, prefix, 1L << 20);
            InProcessCli cli = cli(env, prefix, store -> store);
            // Throttled, so the backup is still uploading when the server dies.
            CompletableFuture<InProcessCli.Result> backup = inBackground(() ->
                cli.run("backup", "--json", "--limit-upload", "2M", "--threads", "2", data.toString()));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> count(env, prefix, "data/") >= 3 || backup.isDone());
            assertThat(backup).as("the backup must still run when the server is killed; grow the data set")
                .isNotDone();

            s3.kill();
            // The outage: with the JVM start of the restart, the server is away for about 6-8 seconds.
            TimeUnit.SECONDS.sleep(5);
            assertThat(backup).as("the backup waits for the server").isNotDone();
            s3.restart();

            InProcessCli.Result r = backup.get(3, TimeUnit.MINUTES);
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.json().get("files_new").asLong()).isEqualTo(30);
            assertChecksAndRestores(cli, data);
        }
    }

    @Test
    void aBackupThatCannotRideOutTheOutageFailsCleanlyAndTheNextReusesItsPacks() throws Exception {
        try (PrivateServer s3 = LocalInfra.startPrivate("s3proxy", tmp.resolve("s3proxy"))) {
            Map<String, String> env = s3.env();
            String prefix = "gives-up";
            Path data = tmp.resolve("data");
            long total = InProcessCli.randomTree(data, 7, 30, 1_500_000);
            initRepository(env, prefix, 1L << 20);
            InProcessCli cli = cli(env, prefix, store -> store);
            CompletableFuture<InProcessCli.Result> backup = inBackground(() ->
                cli.run("backup", "--json", "--limit-upload", "2M", "--threads", "2", "--retry-budget", "2s",
                    data.toString()));
            // Killed once the backup has indexed some packs (an index is written every few packs).
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> count(env, prefix, "index/") >= 1 || backup.isDone());
            assertThat(backup).as("the backup must still run when the server is killed; grow the data set")
                .isNotDone();
            s3.kill();

            InProcessCli.Result failed = backup.get(2, TimeUnit.MINUTES);
            assertThat(failed.code()).as(failed.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(failed.err().strip()).startsWith("lifeboat: ").doesNotContain("\n")
                .contains("failed after");
            s3.restart();

            InProcessCli.Result snapshots = cli.run("snapshots", "--json");
            assertThat(snapshots.code()).as(snapshots.toString()).isZero();
            assertThat(snapshots.json()).as("no snapshot from the failed backup").isEmpty();

            InProcessCli.Result again = cli.run("backup", "--json", data.toString());
            assertThat(again.code()).as(again.toString()).isZero();
            assertThat(again.json().get("bytes_total").asLong()).isEqualTo(total);
            assertThat(again.json().get("bytes_added").asLong()).as("reuses the packs the failed backup indexed")
                .isLessThan(total - (2L << 20));
            assertChecksAndRestores(cli, data);
        }
    }
}
