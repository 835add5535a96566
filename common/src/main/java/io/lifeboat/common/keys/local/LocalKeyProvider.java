package io.lifeboat.common.keys.local;

import io.lifeboat.common.keys.DataKey;
import io.lifeboat.common.keys.KeyProvider;
import io.lifeboat.common.keys.KeyProviderException;
import io.lifeboat.common.keys.WrappedKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link KeyProvider} whose KEK is a 32-byte file kept OUTSIDE the repository (a backup bucket
 * must never hold what unlocks it).
 *
 * <p>The KEK id is {@code local:} followed by the first 16 bytes, in hex, of
 * HMAC-SHA256(key, {@code "lifeboat local KEK id v1"}): stable, distinct per key, and revealing
 * nothing about the key.
 *
 * <p>Wrapped-key blob (61 bytes):
 * <pre>
 * version 0x01 (1) | nonce (12) | AES-256-GCM(data key) (32) | tag (16)
 * </pre>
 * The GCM additional data is {@code "lifeboat-local-wrap-v1"}, a zero byte, the KEK id in UTF-8,
 * a zero byte, then the encryption context sorted by key, each key and value as a 4-byte
 * big-endian length and UTF-8 bytes. A wrong context, another key, a wrong length or version or
 * any flipped bit all give the same error, so the failure tells an attacker nothing.
 *
 * <p>{@link #rewrap} needs the new KEK's file too: open the provider with
 * {@link #open(Path, Collection)} naming the files it may re-wrap to.
 *
 * <p>Threading: safe for concurrent use (each call makes its own {@code Cipher}).
 */
public final class LocalKeyProvider implements KeyProvider {
    /** The provider type recorded in {@link WrappedKey#provider()}. */
    public static final String PROVIDER = "local";
    private static final int KEY_LENGTH = 32;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final byte VERSION = 1;
    private static final int BLOB_LENGTH = 1 + NONCE_LENGTH + DATA_KEY_LENGTH + TAG_BITS / 8;
    private static final byte[] KEK_ID_LABEL = "lifeboat local KEK id v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD_LABEL = "lifeboat-local-wrap-v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Kek(String id, SecretKeySpec key, Path file) {
    }

    private final Kek primary;
    private final Map<String, Kek> rewrapTargets;

    private LocalKeyProvider(Kek primary, Map<String, Kek> rewrapTargets) {
        this.primary = primary;
        this.rewrapTargets = Map.copyOf(rewrapTargets);
    }

    /**
     * Creates a new key file with 32 random bytes, readable only by its owner (mode 600 where
     * the file system has POSIX permissions). Refuses to overwrite an existing file: losing a
     * KEK loses every backup wrapped under it.
     *
     * @return the new key's KEK id
     */
    public static String generate(Path keyFile) {
        byte[] key = new byte[KEY_LENGTH];
        RANDOM.nextBytes(key);
        try {
            Path parent = keyFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            boolean posix = Files.getFileStore(parent == null ? keyFile.toAbsolutePath() : parent)
                    .supportsFileAttributeView("posix");
            if (posix) {
                Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(
                        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            } else {
                Files.createFile(keyFile);
            }
            Files.write(keyFile, key, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            return kekIdOf(key);
        } catch (FileAlreadyExistsException e) {
            throw new KeyProviderException("key file " + keyFile + " already exists; refusing to overwrite a key", e);
        } catch (IOException e) {
            throw new KeyProviderException("cannot create key file " + keyFile + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** A provider whose KEK is {@code keyFile}. */
    public static LocalKeyProvider open(Path keyFile) {
        return open(keyFile, List.of());
    }

    /**
     * A provider whose KEK is {@code keyFile} and which may re-wrap keys to the KEKs in
     * {@code rewrapTargetFiles}.
     */
    public static LocalKeyProvider open(Path keyFile, Collection<Path> rewrapTargetFiles) {
        Kek primary = read(keyFile);
        Map<String, Kek> targets = new HashMap<>();
        targets.put(primary.id, primary);
        for (Path p : rewrapTargetFiles) {
            Kek k = read(p);
            targets.put(k.id, k);
        }
        return new LocalKeyProvider(primary, targets);
    }

    private static Kek read(Path keyFile) {
        Objects.requireNonNull(keyFile, "keyFile");
        byte[] key;
        try {
            if (Files.getFileStore(keyFile).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
                if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                    throw new KeyProviderException("key file " + keyFile + " is accessible by other users (mode "
                            + PosixFilePermissions.toString(perms) + "); restrict it with chmod 600");
                }
            }
            key = Files.readAllBytes(keyFile);
        } catch (NoSuchFileException e) {
            throw new KeyProviderException("key file " + keyFile + " does not exist", e);
        } catch (IOException e) {
            throw new KeyProviderException("cannot read key file " + keyFile + ": " + e.getMessage(), e);
        }
        try {
            if (key.length != KEY_LENGTH) {
                throw new KeyProviderException("key file " + keyFile + " is not a Lifeboat key file (expected "
                        + KEY_LENGTH + " bytes, found " + key.length + ")");
            }
            return new Kek(kekIdOf(key), new SecretKeySpec(key, "AES"), keyFile);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static String kekIdOf(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] tag = mac.doFinal(KEK_ID_LABEL);
            return "local:" + HexFormat.of().formatHex(tag, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String kekId() {
        return primary.id;
    }

    @Override
    public DataKey generateDataKey(Map<String, String> context) {
        byte[] plaintext = new byte[DATA_KEY_LENGTH];
        RANDOM.nextBytes(plaintext);
        return new DataKey(plaintext, wrap(primary, plaintext, context));
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped, Map<String, String> context) {
        checkOwn(wrapped);
        byte[] blob = wrapped.blob();
        if (blob.length != BLOB_LENGTH || blob[0] != VERSION) {
            throw refused();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, primary.key, new GCMParameterSpec(TAG_BITS, blob, 1, NONCE_LENGTH));
            cipher.updateAAD(aad(primary.id, context));
            return cipher.doFinal(blob, 1 + NONCE_LENGTH, blob.length - 1 - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw refused();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    @Override
    public WrappedKey rewrap(WrappedKey wrapped, String newKekId, Map<String, String> context) {
        Kek target = rewrapTargets.get(newKekId);
        if (target == null) {
            throw new KeyProviderException("cannot re-wrap to " + newKekId + ": no key file for that KEK was given");
        }
        byte[] plaintext = unwrap(wrapped, context);
        try {
            return wrap(target, plaintext, context);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private void checkOwn(WrappedKey wrapped) {
        if (!PROVIDER.equals(wrapped.provider())) {
            throw new KeyProviderException("the wrapped key belongs to key provider '" + wrapped.provider()
                    + "', not to a local key file");
        }
        if (!primary.id.equals(wrapped.kekId())) {
            throw new KeyProviderException("the wrapped key was made with KEK " + wrapped.kekId()
                    + ", but key file " + primary.file + " holds KEK " + primary.id);
        }
    }

    private static KeyProviderException refused() {
        return new KeyProviderException("the local key file refused the wrapped key: wrong encryption context or damaged blob");
    }

    private static WrappedKey wrap(Kek kek, byte[] plaintext, Map<String, String> context) {
        byte[] blob = new byte[BLOB_LENGTH];
        blob[0] = VERSION;
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, blob, 1, NONCE_LENGTH);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, kek.key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(kek.id, context));
            cipher.doFinal(plaintext, 0, plaintext.length, blob, 1 + NONCE_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
        return new WrappedKey(PROVIDER, kek.id, blob);
    }

    static byte[] aad(String kekId, Map<String, String> context) {
        Objects.requireNonNull(context, "context");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(AAD_LABEL);
        out.write(0);
        out.writeBytes(kekId.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
            writeField(out, e.getKey());
            writeField(out, e.getValue());
        }
        return out.toByteArray();
    }

    private static void writeField(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
        out.writeBytes(b);
    }

    @Override
    public String describe() {
        return "local key file " + primary.file + " (KEK " + primary.id + ")";
    }
}
