package io.lifeboat.common.keys.awskms;

import io.lifeboat.common.keys.DataKey;
import io.lifeboat.common.keys.KeyProvider;
import io.lifeboat.common.keys.KeyProviderException;
import io.lifeboat.common.keys.WrappedKey;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;

/**
 * {@link KeyProvider} on AWS KMS: GenerateDataKey, Decrypt and ReEncrypt, each with the encryption
 * context. The provider is bound to one KMS key, named by id, ARN or alias; what it records in a
 * {@link WrappedKey} is the key ARN KMS returned, so a slot stays valid when an alias is later
 * pointed elsewhere. On unwrap it passes the recorded ARN as {@code KeyId} (KMS then refuses a
 * blob of another key) and checks the ARN KMS reports against the recorded one, as Tink does.
 *
 * <p>The SDK keeps its default retries here (unlike the S3 adapter): key calls are rare, off the
 * data path, and there is no retrying decorator for this port.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class AwsKmsKeyProvider implements KeyProvider {
    /** The provider type recorded in {@link WrappedKey#provider()}. */
    public static final String PROVIDER = "aws-kms";

    private final KmsClient kms;
    private final boolean ownsClient;
    private final String keyId;
    private final String where;
    private volatile String keyArn;

    /**
     * A provider on a client the caller owns (and closes).
     *
     * @param keyId key id, key ARN, alias name or alias ARN
     * @param where endpoint and region for messages
     */
    public AwsKmsKeyProvider(KmsClient kms, String keyId, String where) {
        this(kms, false, keyId, where);
    }

    private AwsKmsKeyProvider(KmsClient kms, boolean ownsClient, String keyId, String where) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.ownsClient = ownsClient;
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.where = where;
        this.keyArn = keyId.startsWith("arn:") && keyId.contains(":key/") ? keyId : null;
    }

    /** A provider with its own client, built from the configuration. */
    public static AwsKmsKeyProvider create(AwsKmsConfig config) {
        return new AwsKmsKeyProvider(AwsKmsAccess.client(config), true, config.keyId(), AwsKmsAccess.where(config));
    }

    @Override
    public String kekId() {
        String arn = keyArn;
        if (arn == null) {
            try {
                arn = kms.describeKey(r -> r.keyId(keyId)).keyMetadata().arn();
            } catch (SdkException e) {
                throw map("describe", keyId, e);
            }
            keyArn = arn;
        }
        return arn;
    }

    @Override
    public DataKey generateDataKey(Map<String, String> context) {
        GenerateDataKeyResponse r;
        try {
            r = kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(context));
        } catch (SdkException e) {
            throw map("generate data key", keyId, e);
        }
        byte[] plaintext = r.plaintext().asByteArray();
        if (plaintext.length != DATA_KEY_LENGTH) {
            throw new KeyProviderException("KMS returned a " + plaintext.length + "-byte data key, expected " + DATA_KEY_LENGTH);
        }
        if (keyArn == null) {
            keyArn = r.keyId();
        }
        return new DataKey(plaintext, new WrappedKey(PROVIDER, r.keyId(), r.ciphertextBlob().asByteArray()));
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped, Map<String, String> context) {
        checkOwn(wrapped);
        DecryptResponse r;
        try {
            r = kms.decrypt(b -> b.keyId(wrapped.kekId())
                    .ciphertextBlob(SdkBytes.fromByteArray(wrapped.blob()))
                    .encryptionContext(context));
        } catch (SdkException e) {
            throw map("decrypt", wrapped.kekId(), e);
        }
        if (!wrapped.kekId().equals(r.keyId())) {
            throw new KeyProviderException("KMS decrypted the wrapped key with " + r.keyId()
                    + ", but it is recorded as wrapped by " + wrapped.kekId() + "; refusing it");
        }
        return r.plaintext().asByteArray();
    }

    @Override
    public WrappedKey rewrap(WrappedKey wrapped, String newKekId, Map<String, String> context) {
        checkOwn(wrapped);
        ReEncryptResponse r;
        try {
            r = kms.reEncrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(wrapped.blob()))
                    .sourceKeyId(wrapped.kekId())
                    .sourceEncryptionContext(context)
                    .destinationKeyId(newKekId)
                    .destinationEncryptionContext(context));
        } catch (SdkException e) {
            throw map("re-encrypt", wrapped.kekId() + " -> " + newKekId, e);
        }
        if (!wrapped.kekId().equals(r.sourceKeyId())) {
            throw new KeyProviderException("KMS re-encrypted a key of " + r.sourceKeyId()
                    + ", but it is recorded as wrapped by " + wrapped.kekId() + "; refusing it");
        }
        return new WrappedKey(PROVIDER, r.keyId(), r.ciphertextBlob().asByteArray());
    }

    private void checkOwn(WrappedKey wrapped) {
        if (!PROVIDER.equals(wrapped.provider())) {
            throw new KeyProviderException("the wrapped key belongs to key provider '" + wrapped.provider()
                    + "', not to AWS KMS");
        }
        String own = kekId();
        if (!own.equals(wrapped.kekId())) {
            throw new KeyProviderException("the wrapped key was made with KMS key " + wrapped.kekId()
                    + ", but this provider uses KMS key " + own);
        }
    }

    private KeyProviderException map(String operation, String key, SdkException e) {
        String k = "KMS key " + key;
        if (e instanceof DisabledException) {
            return new KeyProviderException(k + " is disabled", e);
        }
        if (e instanceof KmsInvalidStateException) {
            return new KeyProviderException(k + " cannot be used in its current state (pending deletion?): "
                    + serviceMessage(e), e);
        }
        if (e instanceof NotFoundException) {
            return new KeyProviderException(k + " does not exist (or is not visible to these credentials)", e);
        }
        if (e instanceof InvalidCiphertextException) {
            return new KeyProviderException("KMS refused the wrapped key: wrong encryption context or damaged blob", e);
        }
        if (e instanceof IncorrectKeyException) {
            return new KeyProviderException("the wrapped key was not made by " + k, e);
        }
        if (e instanceof AwsServiceException s) {
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            if ("AccessDeniedException".equals(code) || s.statusCode() == 403) {
                return new KeyProviderException("access to " + k + " denied: " + serviceMessage(e), e);
            }
            if (e instanceof KmsInternalException || s.statusCode() >= 500 || s.isThrottlingException()
                    || "DependencyTimeoutException".equals(code) || "KMSInternalException".equals(code)) {
                return new KeyProviderException("KMS " + operation + " with " + k + " failed, try again later: "
                        + (code == null ? "" : code + ": ") + serviceMessage(e), true, e);
            }
            return new KeyProviderException("KMS " + operation + " with " + k + " failed: "
                    + (code == null ? s.statusCode() + "" : code) + ": " + serviceMessage(e), e);
        }
        if (e instanceof SdkClientException && hasIoCause(e)) {
            return new KeyProviderException("KMS at " + where + " is unreachable: " + e.getMessage(), true, e);
        }
        return new KeyProviderException("KMS " + operation + " with " + k + " failed: " + e.getMessage(), e);
    }

    private static String serviceMessage(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null && s.awsErrorDetails().errorMessage() != null) {
            return s.awsErrorDetails().errorMessage();
        }
        return String.valueOf(e.getMessage());
    }

    private static boolean hasIoCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String describe() {
        return "AWS KMS key " + keyId + (where == null ? "" : " (" + where + ")");
    }

    @Override
    public void close() {
        if (ownsClient) {
            kms.close();
        }
    }
}
