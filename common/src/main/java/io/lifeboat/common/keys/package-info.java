/**
 * The key hierarchy: the random master key, the key slots that wrap it ({@code passphrase},
 * {@code kms}, {@code keyfile}; {@link io.lifeboat.common.keys.KeySlot}), the
 * {@link io.lifeboat.common.keys.KeyProvider} port that {@code kms} and {@code keyfile} slots use,
 * the credentials offered to open slots ({@link io.lifeboat.common.keys.KeyCredentials}), the HKDF
 * subkeys derived from the master key and the keyring of data-key epochs. Key material never
 * appears in exceptions, logs or {@code toString()}.
 */
package io.lifeboat.common.keys;
