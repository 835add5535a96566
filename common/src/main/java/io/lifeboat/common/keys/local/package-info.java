/**
 * A {@link io.lifeboat.common.keys.KeyProvider} on a 32-byte key file kept outside the
 * repository: for sites without a KMS, and for air-gapped restores where the key file travels
 * on separate media. Plain JDK cryptography (AES-256-GCM, HMAC-SHA256).
 */
package io.lifeboat.common.keys.local;
