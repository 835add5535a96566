package io.lifeboat.common.keys;

import java.util.Map;

/**
 * A key-encryption service: makes data keys and wraps them under a key-encryption key (KEK) it
 * holds, in the spirit of Tink's {@code KmsClient}/{@code Aead}. Lifeboat's key slots use it to
 * wrap the repository master key under a KMS key or a key file. An instance is bound to one KEK:
 * it generates under that KEK and unwraps only what that KEK wrapped.
 *
 * <p>The encryption context is authenticated, not secret: a wrapped key unwraps only with the
 * exact same context (for example the repository id and slot id), so a blob copied into another
 * repository or slot is refused.
 *
 * <p>Threading: implementations are safe for concurrent use. Idempotency: {@link #unwrap} has no
 * effect on the KEK; {@link #generateDataKey} and {@link #rewrap} return a fresh blob each time.
 *
 * <p>Errors: every method throws {@link KeyProviderException} with one readable line (key
 * disabled, pending deletion, not found, access denied, wrong context or damaged blob, wrong KEK);
 * {@link KeyProviderException#isTransient()} tells whether trying again later may help.
 */
public interface KeyProvider extends AutoCloseable {

    /** Length of the data keys this port hands out: 256-bit AES keys. */
    int DATA_KEY_LENGTH = 32;

    /**
     * Makes a new random 32-byte data key and its wrapped form under this provider's KEK.
     *
     * @param context encryption context bound to the wrapped key; may be empty
     */
    DataKey generateDataKey(Map<String, String> context);

    /**
     * Recovers a data key. Refuses a blob from another provider type or recorded under another
     * KEK, and checks that the KEK the service reports matches the recorded one.
     *
     * @return the plaintext key; the caller should wipe it when done
     */
    byte[] unwrap(WrappedKey wrapped, Map<String, String> context);

    /**
     * Re-wraps a key of this provider's KEK under {@code newKekId} without the caller ever seeing
     * the plaintext (for AWS KMS the plaintext never leaves the service). The result is unwrapped
     * by a provider bound to the new KEK.
     */
    WrappedKey rewrap(WrappedKey wrapped, String newKekId, Map<String, String> context);

    /** The id of this provider's KEK as recorded in {@link WrappedKey#kekId()}. */
    String kekId();

    /** A short description for logs and errors; never key material or credentials. */
    String describe();

    @Override
    default void close() {
    }
}
