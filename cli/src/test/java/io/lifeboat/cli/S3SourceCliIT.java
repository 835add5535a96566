package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.common.repository.InitOptions;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.decorator.InMemoryStoreMetrics;
import io.lifeboat.common.store.decorator.MeteredObjectStore;
import io.lifeboat.common.store.decorator.StoreOperation;
import io.lifeboat.common.store.s3.S3Credentials;
import io.lifeboat.common.store.s3.S3ObjectStore;
import io.lifeboat.common.store.s3.S3StoreConfig;
import io.lifeboat.testing.LocalInfra;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code lifeboat backup --source s3:bucket/prefix} against the real S3Proxy: the source is a
 * second bucket, the repository a prefix of the shared one. Every GET on the source bucket is
 * counted (a metered store around its adapter), proving that unchanged objects are not read again;
 * the snapshot restores into another prefix and into a directory bit for bit.
 */
class S3SourceCliIT {
    private static final String PASSWORD = "s3 source test";

    @TempDir
    Path tmp;

    private final LocalInfra infra = LocalInfra.shared();
    private final String sourceBucket = "lifeboat-src-" + UUID.randomUUID().toString().substring(0, 8);
    private final String repoPrefix = "it/cli-source/" + UUID.randomUUID();
    private final AtomicReference<InMemoryStoreMetrics> sourceMetrics = new AtomicReference<>(new InMemoryStoreMetrics());
    private S3Client admin;
    private ObjectStore source;
    private InProcessCli cli;

    private S3StoreConfig.Builder config(String bucket, String prefix) {
        return S3StoreConfig.builder(infra.s3Region(), bucket).endpoint(infra.s3Endpoint()).pathStyle(true)
            .keyPrefix(prefix).credentials(S3Credentials.of(infra.s3AccessKey(), infra.s3SecretKey()));
    }

    @BeforeEach
    void setUp() {
        admin = S3Client.builder().region(Region.of(infra.s3Region())).endpointOverride(infra.s3Endpoint())
            .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(infra.s3AccessKey(), infra.s3SecretKey())))
            .build();
        admin.createBucket(b -> b.bucket(sourceBucket));
        // Retried as in production: S3Proxy drops a few PUTs in a thousand without an answer.
        source = retrying(S3ObjectStore.open(config(sourceBucket, "").build()));
        String describeSource = "s3://" + sourceBucket + "/";
        cli = new InProcessCli(store -> store.describe().startsWith(describeSource)
            ? new MeteredObjectStore(store, sourceMetrics.get()) : store);
        cli.env.put("LIFEBOAT_REPOSITORY", "s3:" + infra.s3Bucket() + "/" + repoPrefix);
        cli.env.put("LIFEBOAT_PASSWORD", PASSWORD);
        cli.env.putAll(infra.env());
        // The source's own settings; the repository keeps LIFEBOAT_S3_*.
        cli.env.put("LIFEBOAT_SOURCE_S3_ENDPOINT", infra.s3Endpoint().toString());
        cli.env.put("LIFEBOAT_SOURCE_S3_ACCESS_KEY", infra.s3AccessKey());
        cli.env.put("LIFEBOAT_SOURCE_S3_SECRET_KEY", infra.s3SecretKey());
    }

    @AfterEach
    void cleanUp() {
        if (source == null) {
            return;
        }
        List<String> keys = new ArrayList<>();
        source.list("", i -> keys.add(i.key()));
        keys.forEach(source::delete);
        source.close();
        admin.deleteBucket(b -> b.bucket(sourceBucket));
        admin.close();
        try (ObjectStore repo = retrying(S3ObjectStore.open(config(infra.s3Bucket(), repoPrefix).build()))) {
            List<String> repoKeys = new ArrayList<>();
            repo.list("", i -> repoKeys.add(i.key()));
            repoKeys.forEach(repo::delete);
        }
    }

    private static ObjectStore retrying(ObjectStore s) {
        return new io.lifeboat.common.store.decorator.RetryingObjectStore(s,
            new io.lifeboat.common.store.decorator.RetryPolicy(10, java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(100),
                java.time.Duration.ofMinutes(1)));
    }

    /** A repository with the fast test key-derivation parameters, so each command opens it quickly. */
    private void initRepository() {
        try (ObjectStore repo = retrying(S3ObjectStore.open(config(infra.s3Bucket(), repoPrefix).build()))) {
            Repositories.init(repo, PASSWORD.toCharArray(), InitOptions.forTests()).close();
        }
    }

    private long gets() {
        InMemoryStoreMetrics m = sourceMetrics.get();
        return m.snapshot(StoreOperation.OPEN).calls() + m.snapshot(StoreOperation.GET).calls()
            + m.snapshot(StoreOperation.GET_RANGE).calls();
    }

    @Test
    void unchangedObjectsAreNotReadAgainAndTheSnapshotRestoresIntoS3AndADirectory() throws Exception {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        Random r = new Random(11);
        for (int i = 0; i < 24; i++) {
            byte[] data = new byte[i == 0 ? 5 << 20 : r.nextInt(200_000)];
            r.nextBytes(data);
            String key = "uploads/" + (i % 4 == 0 ? "" : "day" + (i % 3) + "/") + "object-" + i + ".bin";
            source.put(key, data);
            objects.put(key, data);
        }
        source.put("elsewhere/not-in-the-backup", "x".getBytes(StandardCharsets.UTF_8));
        String src = "s3:" + sourceBucket + "/uploads";

        initRepository();
        InProcessCli.Result first = cli.run("backup", "--json", "--source", src);
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.json().get("files_new").asLong()).isEqualTo(24);
        assertThat(gets()).as("the first backup reads every object once").isEqualTo(24);

        sourceMetrics.set(new InMemoryStoreMetrics());
        InProcessCli.Result second = cli.run("backup", "--json", "--source", src);
        assertThat(second.code()).as(second.toString()).isZero();
        assertThat(second.json().get("files_unmodified").asLong()).isEqualTo(24);
        assertThat(second.json().get("bytes_read").asLong()).isZero();
        assertThat(gets()).as("unchanged objects are not read again").isZero();
        assertThat(sourceMetrics.get().snapshot(StoreOperation.LIST).calls()).isEqualTo(1);

        byte[] changed = "a new version".getBytes(StandardCharsets.UTF_8);
        source.put("uploads/day1/object-1.bin", changed);
        objects.put("uploads/day1/object-1.bin", changed);
        source.put("uploads/new.txt", changed);
        objects.put("uploads/new.txt", changed);
        sourceMetrics.set(new InMemoryStoreMetrics());
        InProcessCli.Result third = cli.run("backup", "--json", "--source", src);
        assertThat(third.code()).as(third.toString()).isZero();
        assertThat(third.json().get("files_changed").asLong()).isEqualTo(1);
        assertThat(third.json().get("files_new").asLong()).isEqualTo(1);
        assertThat(third.json().get("files_unmodified").asLong()).isEqualTo(23);
        assertThat(gets()).as("only the changed and the new object are read").isEqualTo(2);

        InProcessCli.Result toS3 = cli.run("restore", "latest", "--target", "s3:" + sourceBucket + "/restored");
        assertThat(toS3.code()).as(toS3.toString()).isZero();
        for (var e : objects.entrySet()) {
            assertThat(source.get("restored/" + e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        List<String> restoredKeys = new ArrayList<>();
        source.list("restored/", i -> restoredKeys.add(i.key()));
        assertThat(restoredKeys).hasSize(objects.size());

        InProcessCli.Result toDir = cli.run("restore", "latest", "--target", tmp.resolve("out").toString());
        assertThat(toDir.code()).as(toDir.toString()).isZero();
        for (var e : objects.entrySet()) {
            assertThat(Files.readAllBytes(tmp.resolve("out").resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
        InProcessCli.Result check = cli.run("check", "--read-data", "--json");
        assertThat(check.code()).as(check.toString()).isZero();
    }

    @Test
    void wrongSourceCredentialsFailWithOneLineAndNoSnapshot() {
        source.put("uploads/x", "x".getBytes(StandardCharsets.UTF_8));
        cli.env.put("LIFEBOAT_SOURCE_S3_SECRET_KEY", "not-the-secret-key-of-this-server");
        initRepository();
        InProcessCli.Result r = cli.run("backup", "--source", "s3:" + sourceBucket + "/uploads");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err().strip()).startsWith("lifeboat: cannot list s3:" + sourceBucket + "/uploads")
            .contains("access denied").doesNotContain("\n").doesNotContain("not-the-secret");
        assertThat(cli.run("snapshots", "--json").json()).isEmpty();
    }
}
