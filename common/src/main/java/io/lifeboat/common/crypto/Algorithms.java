package io.lifeboat.common.crypto;

import io.lifeboat.common.repository.UnsupportedFormatException;
import java.util.Map;

/**
 * The registry of algorithm names stored in the repository format, with their one-byte wire ids
 * where binary headers carry them. An unknown name or id is always a hard error: a reader that
 * guessed would silently produce garbage or weaken security.
 */
public final class Algorithms {
    public static final String AES_256_GCM = "aes-256-gcm";
    public static final String NONE = "none";
    public static final String ZSTD = "zstd";
    public static final String HMAC_SHA256 = "hmac-sha256";
    public static final String HKDF_SHA256 = "hkdf-sha256";
    public static final String SCRYPT = "scrypt";
    public static final String FASTCDC_V2020 = "fastcdc-v2020";

    /** Wire id of AES-256-GCM in sealed envelopes. */
    public static final int CIPHER_AES_256_GCM = 1;
    /** Wire ids of compressions in blob headers and pack entries. */
    public static final int COMPRESSION_NONE = 0;
    public static final int COMPRESSION_ZSTD = 1;

    private static final Map<String, Integer> CIPHERS = Map.of(AES_256_GCM, CIPHER_AES_256_GCM);
    private static final Map<String, Integer> COMPRESSIONS = Map.of(NONE, COMPRESSION_NONE, ZSTD, COMPRESSION_ZSTD);

    private Algorithms() {
    }

    public static int cipherId(String name) {
        return lookup(CIPHERS, "cipher", name);
    }

    public static void checkCipherId(int id) {
        if (id != CIPHER_AES_256_GCM) {
            throw new UnsupportedFormatException("unknown cipher id " + id + " (this Lifeboat knows: " + AES_256_GCM + ")");
        }
    }

    public static int compressionId(String name) {
        return lookup(COMPRESSIONS, "compression", name);
    }

    public static void checkCompressionId(int id) {
        if (id != COMPRESSION_NONE && id != COMPRESSION_ZSTD) {
            throw new UnsupportedFormatException("unknown compression id " + id);
        }
    }

    public static void checkBlobIdMac(String name) {
        require(HMAC_SHA256.equals(name), "blob id MAC", name, HMAC_SHA256);
    }

    public static void checkKdf(String name) {
        require(HKDF_SHA256.equals(name), "key derivation", name, HKDF_SHA256);
    }

    public static void checkPassphraseKdf(String name) {
        require(SCRYPT.equals(name), "passphrase KDF", name, SCRYPT);
    }

    /** Chunkers are registered in {@link io.lifeboat.common.chunk.Chunkers}; this consults it. */
    public static void checkChunker(String name) {
        var known = io.lifeboat.common.chunk.Chunkers.algorithms();
        require(known.contains(name), "chunker", name, String.join(", ", known));
    }

    private static int lookup(Map<String, Integer> registry, String role, String name) {
        Integer id = name == null ? null : registry.get(name);
        if (id == null) {
            throw new UnsupportedFormatException("unknown " + role + " algorithm '" + name + "' (this Lifeboat knows: "
                + String.join(", ", registry.keySet().stream().sorted().toList()) + ")");
        }
        return id;
    }

    private static void require(boolean known, String role, String name, String knownNames) {
        if (!known) {
            throw new UnsupportedFormatException("unknown " + role + " algorithm '" + name + "' (this Lifeboat knows: " + knownNames + ")");
        }
    }
}
