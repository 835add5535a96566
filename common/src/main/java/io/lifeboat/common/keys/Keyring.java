package io.lifeboat.common.keys;

import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.crypto.Algorithms;
import io.lifeboat.common.format.Json;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.format.SealedEnvelope;
import io.lifeboat.common.repository.CorruptObjectException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.SecretKey;

/**
 * The data keys of a repository, one per epoch (format section 6). New blobs are written under
 * the highest epoch; older blobs keep theirs, so a data-key rotation rewrites nothing.
 * Immutable; the union of every {@code keyring/} object.
 */
public final class Keyring {
    /** One epoch as stored. */
    public record EpochJson(int epoch, String cipher, String key, Instant created) {
    }

    /** The stored document. */
    public record KeyringJson(List<EpochJson> epochs) {
    }

    private final TreeMap<Integer, SecretKey> keys;

    private Keyring(TreeMap<Integer, SecretKey> keys) {
        this.keys = keys;
    }

    /** A new epoch's document: a fresh random key. */
    public static KeyringJson newEpoch(int epoch) {
        return new KeyringJson(List.of(new EpochJson(epoch, Algorithms.AES_256_GCM,
            Base64.getEncoder().encodeToString(AesGcm.randomBytes(32)), Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))));
    }

    public static byte[] seal(KeyringJson doc, MasterKeys keys) {
        return SealedEnvelope.seal(Magic.KEYRING, keys.keyringKey(), Json.write(doc));
    }

    public static KeyringJson open(byte[] sealed, MasterKeys keys, String object) {
        return Json.read(SealedEnvelope.open(Magic.KEYRING, keys.keyringKey(), sealed, object), KeyringJson.class, object);
    }

    /** Merges keyring documents; the same epoch with two different keys is corruption. */
    public static Keyring of(Collection<KeyringJson> docs) {
        TreeMap<Integer, byte[]> raw = new TreeMap<>();
        for (KeyringJson doc : docs) {
            if (doc.epochs() == null) {
                throw new CorruptObjectException("keyring is corrupt: no epochs");
            }
            for (EpochJson e : doc.epochs()) {
                if (e == null || e.epoch() < 1 || e.key() == null) {
                    throw new CorruptObjectException("keyring is corrupt: invalid epoch");
                }
                Algorithms.cipherId(e.cipher());
                byte[] k;
                try {
                    k = Base64.getDecoder().decode(e.key());
                } catch (IllegalArgumentException ex) {
                    throw new CorruptObjectException("keyring is corrupt: key of epoch " + e.epoch() + " is not base64");
                }
                if (k.length != AesGcm.KEY_LENGTH) {
                    throw new CorruptObjectException("keyring is corrupt: key of epoch " + e.epoch() + " has the wrong length");
                }
                byte[] prev = raw.putIfAbsent(e.epoch(), k);
                if (prev != null && !Arrays.equals(prev, k)) {
                    throw new CorruptObjectException("keyring is corrupt: epoch " + e.epoch() + " has two different keys");
                }
            }
        }
        if (raw.isEmpty()) {
            throw new CorruptObjectException("keyring is missing: the repository has no data keys");
        }
        TreeMap<Integer, SecretKey> keys = new TreeMap<>();
        for (Map.Entry<Integer, byte[]> e : raw.entrySet()) {
            keys.put(e.getKey(), AesGcm.key(e.getValue()));
        }
        return new Keyring(keys);
    }

    public int currentEpoch() {
        return keys.lastKey();
    }

    public SecretKey current() {
        return keys.lastEntry().getValue();
    }

    /** The key of {@code epoch}, or null if the keyring has none. */
    public SecretKey key(int epoch) {
        return keys.get(epoch);
    }

    public List<Integer> epochs() {
        return new ArrayList<>(keys.keySet());
    }

    @Override
    public String toString() {
        return "Keyring[epochs=" + keys.keySet() + "]";
    }
}
