package io.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real local servers an integration test talks to: Kafka, S3Proxy, PostgreSQL and the development
 * KMS (always), Ceph RGW and Keycloak (on demand). Endpoints and credentials come from the env file
 * that {@code dev/infra.sh up} writes.
 *
 * <p>{@link #shared()} reuses servers that already run (as under {@code make test}); otherwise it runs
 * {@code dev/infra.sh up}. Servers started that way are stopped when the last JVM using the harness
 * exits (JVMs of parallel builds register in the infra dir), never the ones it found running. A server
 * that cannot start makes the calling test fail with the script's one-line reason (naming the log);
 * it is never skipped.
 *
 * <p>Threading: every static method is safe to call from many threads; an instance is immutable.
 */
public final class LocalInfra {

    private static final List<String> CORE = List.of("kafka", "s3proxy", "postgres", "kms");

    private static final Object LOCK = new Object();
    private static LocalInfra shared;

    private final Map<String, String> env;

    private LocalInfra(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The always-on servers (Kafka, S3Proxy, PostgreSQL, dev KMS), started if needed. */
    public static LocalInfra shared() {
        synchronized (LOCK) {
            if (shared == null) {
                shared = ensure(CORE, List.of());
            }
            return shared;
        }
    }

    /** The always-on servers plus Ceph RGW (real S3 versioning and Object Lock), started if needed. */
    public static LocalInfra ceph() {
        return optional("ceph");
    }

    /** The always-on servers plus Keycloak (realm {@code lifeboat}), started if needed. */
    public static LocalInfra keycloak() {
        return optional("keycloak");
    }

    private static LocalInfra optional(String name) {
        synchronized (LOCK) {
            List<String> wanted = new ArrayList<>(CORE);
            wanted.add(name);
            return ensure(wanted, List.of(name));
        }
    }

    private static LocalInfra ensure(List<String> wanted, List<String> optional) {
        InfraScript script = InfraScript.locate();
        HarnessRegistry registry = HarnessRegistry.instance(script);
        registry.withLock(() -> {
            registry.registerThisJvm();
            if (!script.running().containsAll(wanted)) {
                List<String> args = new ArrayList<>();
                args.add("up");
                args.addAll(optional);
                // Whatever 'up' starts (also when it fails half-way) is stopped when the last JVM
                // using the harness exits.
                try {
                    registry.recordStarted(script.runRecordingStarted(args.toArray(String[]::new)));
                } catch (InfraScript.StartFailedException e) {
                    registry.recordStarted(e.started());
                    throw e;
                }
            }
        });
        return new LocalInfra(readEnvFile());
    }

    private static Map<String, String> readEnvFile() {
        Path file = InfraScript.infraDir().resolve("env");
        try {
            return InfraScript.parseEnv(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (written by dev/infra.sh up)", e);
        }
    }

    /**
     * Starts a private instance of {@code server} ({@code kafka}, {@code s3proxy}, {@code postgres},
     * {@code kms}, {@code ceph}, {@code keycloak}) in {@code dir} on free ports, for tests that stop or
     * restart a server. Never touches the shared instance. Close it to stop it; data stays in {@code dir}.
     */
    public static PrivateServer startPrivate(String server, Path dir) {
        return PrivateServer.start(InfraScript.locate(), server, dir);
    }

    /** All variables of the env file, e.g. {@code LIFEBOAT_S3_ENDPOINT}. */
    public Map<String, String> env() {
        return env;
    }

    /** The value of {@code name}; fails if the env file lacks it. */
    public String get(String name) {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set by dev/infra.sh (is that server started?)");
        }
        return value;
    }

    public String kafkaBootstrap() {
        return get("LIFEBOAT_KAFKA_BOOTSTRAP");
    }

    public URI s3Endpoint() {
        return URI.create(get("LIFEBOAT_S3_ENDPOINT"));
    }

    public String s3Region() {
        return get("LIFEBOAT_S3_REGION");
    }

    public String s3Bucket() {
        return get("LIFEBOAT_S3_BUCKET");
    }

    public String s3AccessKey() {
        return get("LIFEBOAT_S3_ACCESS_KEY");
    }

    public String s3SecretKey() {
        return get("LIFEBOAT_S3_SECRET_KEY");
    }

    public String pgHost() {
        return get("LIFEBOAT_PG_HOST");
    }

    public int pgPort() {
        return Integer.parseInt(get("LIFEBOAT_PG_PORT"));
    }

    public String pgUser() {
        return get("LIFEBOAT_PG_USER");
    }

    public String pgPassword() {
        return get("LIFEBOAT_PG_PASSWORD");
    }

    public String pgDatabase() {
        return get("LIFEBOAT_PG_DATABASE");
    }

    public String pgJdbcUrl() {
        return get("LIFEBOAT_PG_JDBC_URL");
    }

    /** Directory of the PostgreSQL binaries matching the server ({@code pg_dump}, {@code pg_basebackup}, ...). */
    public Path pgBinDir() {
        return Path.of(get("LIFEBOAT_PG_BIN"));
    }

    public URI kmsEndpoint() {
        return URI.create(get("LIFEBOAT_KMS_ENDPOINT"));
    }

    public String kmsRegion() {
        return get("LIFEBOAT_KMS_REGION");
    }

    public String kmsAccessKey() {
        return get("LIFEBOAT_KMS_ACCESS_KEY");
    }

    public String kmsSecretKey() {
        return get("LIFEBOAT_KMS_SECRET_KEY");
    }

    public String kmsKeyArn() {
        return get("LIFEBOAT_KMS_KEY_ARN");
    }

    /** Ceph RGW's S3 endpoint; only on an instance from {@link #ceph()}. */
    public URI cephS3Endpoint() {
        return URI.create(get("LIFEBOAT_CEPH_S3_ENDPOINT"));
    }

    public String cephAccessKey() {
        return get("LIFEBOAT_CEPH_S3_ACCESS_KEY");
    }

    public String cephSecretKey() {
        return get("LIFEBOAT_CEPH_S3_SECRET_KEY");
    }

    /** Ceph RGW user {@code lifeboat-backup}: owns nothing; tests grant it the backup role by bucket policy. */
    public String cephBackupUser() {
        return get("LIFEBOAT_CEPH_BACKUP_USER");
    }

    public String cephBackupAccessKey() {
        return get("LIFEBOAT_CEPH_BACKUP_ACCESS_KEY");
    }

    public String cephBackupSecretKey() {
        return get("LIFEBOAT_CEPH_BACKUP_SECRET_KEY");
    }

    /** Ceph RGW user {@code lifeboat-maintenance}: owns nothing; tests grant it the maintenance role by bucket policy. */
    public String cephMaintenanceUser() {
        return get("LIFEBOAT_CEPH_MAINTENANCE_USER");
    }

    public String cephMaintenanceAccessKey() {
        return get("LIFEBOAT_CEPH_MAINTENANCE_ACCESS_KEY");
    }

    public String cephMaintenanceSecretKey() {
        return get("LIFEBOAT_CEPH_MAINTENANCE_SECRET_KEY");
    }

    /** Keycloak's issuer URL of realm {@code lifeboat}; only on an instance from {@link #keycloak()}. */
    public URI oidcUrl() {
        return URI.create(get("LIFEBOAT_OIDC_URL"));
    }

    public String oidcClientId() {
        return get("LIFEBOAT_OIDC_CLIENT_ID");
    }

    public String oidcClientSecret() {
        return get("LIFEBOAT_OIDC_CLIENT_SECRET");
    }

    @Override
    public String toString() {
        // Never print the secrets.
        return "LocalInfra" + env.keySet();
    }
}
