package io.lifeboat.common.keys;

import java.util.Arrays;

/**
 * What a caller offers to open a repository's key slots, or to create them at init: any of a
 * passphrase ({@code passphrase} slots), a key file ({@code keyfile} slots, a provider such as
 * {@link io.lifeboat.common.keys.local.LocalKeyProvider}) and a KMS ({@code kms} slots).
 *
 * <p>{@link #kmsKeyId()} is the KMS key the caller named, if any. When creating a slot it is the
 * KEK of the new slot; when opening it narrows the {@code kms} slots tried to those wrapped by that
 * key. Without it, every {@code kms} slot is tried with the KEK its header records.
 *
 * <p>Immutable apart from {@link #close()}, which wipes the passphrase and closes the KMS access.
 */
public final class KeyCredentials implements AutoCloseable {
    private final char[] passphrase;
    private final KeyProvider keyFile;
    private final KmsAccess kms;
    private final String kmsKeyId;

    private KeyCredentials(char[] passphrase, KeyProvider keyFile, KmsAccess kms, String kmsKeyId) {
        this.passphrase = passphrase == null || passphrase.length == 0 ? null : passphrase;
        this.keyFile = keyFile;
        this.kms = kms;
        this.kmsKeyId = kmsKeyId == null || kmsKeyId.isBlank() ? null : kmsKeyId.strip();
    }

    /** No credentials at all. */
    public static KeyCredentials none() {
        return new KeyCredentials(null, null, null, null);
    }

    /** Only a passphrase; the array is kept, not copied, and wiped by {@link #close()}. */
    public static KeyCredentials ofPassphrase(char[] passphrase) {
        return new KeyCredentials(passphrase, null, null, null);
    }

    public KeyCredentials withPassphrase(char[] p) {
        return new KeyCredentials(p, keyFile, kms, kmsKeyId);
    }

    public KeyCredentials withKeyFile(KeyProvider provider) {
        return new KeyCredentials(passphrase, provider, kms, kmsKeyId);
    }

    /**
     * @param keyId the KMS key named by the caller (id, ARN or alias), or null
     */
    public KeyCredentials withKms(KmsAccess access, String keyId) {
        return new KeyCredentials(passphrase, keyFile, access, keyId);
    }

    /** The passphrase, or null. */
    public char[] passphrase() {
        return passphrase;
    }

    /** The key file's provider, or null. */
    public KeyProvider keyFile() {
        return keyFile;
    }

    /** The KMS, or null. */
    public KmsAccess kms() {
        return kms;
    }

    /** The KMS key the caller named, or null. */
    public String kmsKeyId() {
        return kmsKeyId;
    }

    public boolean isEmpty() {
        return passphrase == null && keyFile == null && kms == null;
    }

    @Override
    public void close() {
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
        if (kms != null) {
            kms.close();
        }
    }

    @Override
    public String toString() {
        return "KeyCredentials[passphrase=" + (passphrase == null ? "none" : "***") + ", keyFile="
            + (keyFile == null ? "none" : keyFile.describe()) + ", kms=" + (kms == null ? "none" : kms.describe())
            + (kmsKeyId == null ? "" : ", kmsKeyId=" + kmsKeyId) + "]";
    }
}
