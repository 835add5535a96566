/**
 * The key hierarchy: the random master key, the key slots that wrap it (passphrase now; KMS and
 * key file later), the HKDF subkeys derived from it and the keyring of data-key epochs.
 * Key material never appears in exceptions, logs or {@code toString()}.
 */
package io.lifeboat.common.keys;
