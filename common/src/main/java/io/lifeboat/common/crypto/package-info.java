/**
 * Cryptographic building blocks of the repository format and the registry of algorithm names:
 * AES-256-GCM sealing, HMAC-SHA256, HKDF subkeys and scrypt. Knows nothing of object stores.
 * Instances of JCE engines are kept per thread, because creating them dominates small blobs.
 */
package io.lifeboat.common.crypto;
