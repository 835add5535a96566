package io.lifeboat.common.keys.awskms;

import io.lifeboat.common.keys.KeyProvider;
import io.lifeboat.common.keys.KmsAccess;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * {@link KmsAccess} on AWS KMS: one {@link KmsClient}, and an {@link AwsKmsKeyProvider} on it for
 * each key asked for. Access made by {@link #create} builds its client on the first
 * {@link #provider} call, not before: building one loads much of the AWS SDK (about 0.7 s of a
 * command's start), and a command with KMS configured often opens a repository by another slot.
 * Threading: safe for concurrent use.
 */
public final class AwsKmsAccess implements KmsAccess {
    /** Null when the client was given. */
    private final AwsKmsConfig config;
    private final boolean ownsClient;
    private final String where;
    private KmsClient kms;
    private boolean closed;

    /** Access through a client the caller owns (and closes). */
    public AwsKmsAccess(KmsClient kms, String where) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.config = null;
        this.ownsClient = false;
        this.where = where;
    }

    private AwsKmsAccess(AwsKmsConfig config, String where) {
        this.config = Objects.requireNonNull(config, "config");
        this.ownsClient = true;
        this.where = where;
    }

    private synchronized KmsClient client() {
        if (kms == null) {
            if (closed) {
                throw new IllegalStateException("this KMS access is closed");
            }
            kms = client(config);
        }
        return kms;
    }

    /**
     * Access with its own client. The config's key id is not used here: each call of
     * {@link #provider(String)} names its key.
     */
    public static AwsKmsAccess create(AwsKmsConfig config) {
        return new AwsKmsAccess(config, where(config));
    }

    /** A client for the config's region, endpoint and credentials (the default chain when it names none). */
    static KmsClient client(AwsKmsConfig config) {
        KmsClientBuilder builder = KmsClient.builder()
                .region(Region.of(config.region()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(config.accessKeyId().isPresent()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                config.accessKeyId().get(), config.secretAccessKey().orElseThrow()))
                        : DefaultCredentialsProvider.builder().build());
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Endpoint and region, for messages. */
    static String where(AwsKmsConfig config) {
        return config.endpoint().map(e -> e + ", ").orElse("") + "region " + config.region();
    }

    @Override
    public KeyProvider provider(String keyId) {
        return new AwsKmsKeyProvider(client(), keyId, where);
    }

    @Override
    public String describe() {
        return "AWS KMS (" + where + ")";
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (ownsClient && kms != null) {
            kms.close();
        }
    }
}
