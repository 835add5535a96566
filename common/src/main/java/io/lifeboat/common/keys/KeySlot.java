package io.lifeboat.common.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.crypto.Algorithms;
import io.lifeboat.common.crypto.Scrypt;
import io.lifeboat.common.crypto.ScryptAhead;
import io.lifeboat.common.format.ByteReader;
import io.lifeboat.common.format.Json;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.FormatVersion;
import io.lifeboat.common.repository.UnsupportedFormatException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * One key slot: the master key wrapped under a key derived from a credential.
 *
 * <pre>
 * "LBKS" | version(1) | u32 H | header JSON (H bytes) | nonce(12) | AES-256-GCM(master key)(32+16)
 * </pre>
 * AAD = every byte before the nonce, then the slot id in ASCII; see docs/repository-format.md
 * section 4. Three types: {@code passphrase} (wrapping key from scrypt), {@code kms} (wrapping key
 * is a data key from AWS KMS, stored KMS-encrypted in the header with the key ARN KMS returned) and
 * {@code keyfile} (the same with a {@link io.lifeboat.common.keys.local.LocalKeyProvider} key file
 * kept outside the repository). Both provider-wrapped types bind the data key to the slot with the
 * encryption context {@value #CONTEXT_KEY} = slot id. Any other type is refused with
 * {@link UnsupportedFormatException}; every malformation is a {@link CorruptObjectException}.
 *
 * @param slotId the slot's id (32 hex), the last segment of its key
 * @param header the parsed header
 * @param authenticated bytes before the nonce, authenticated as AAD
 * @param nonce the wrapping nonce
 * @param wrapped the wrapped master key with its tag
 */
public record KeySlot(String slotId, Header header, byte[] authenticated, byte[] nonce, byte[] wrapped) {
    public static final String TYPE_PASSPHRASE = "passphrase";
    public static final String TYPE_KMS = "kms";
    public static final String TYPE_KEYFILE = "keyfile";
    /** Key of the encryption context that binds a provider-wrapped data key to its slot. */
    public static final String CONTEXT_KEY = "lifeboat:key-slot";
    /** Provider names recorded in provider-wrapped slots; see {@link WrappedKey#provider()}. */
    public static final String PROVIDER_AWS_KMS = "aws-kms";
    public static final String PROVIDER_LOCAL = "local";
    private static final int MAX_HEADER = 65536;
    /** AWS KMS ciphertext blobs are at most 6144 bytes. */
    private static final int MAX_KMS_WRAPPED = 6144;
    /** {@code LocalKeyProvider} blobs are exactly 61 bytes. */
    private static final int LOCAL_WRAPPED = 61;
    private static final java.util.regex.Pattern KMS_ARN = java.util.regex.Pattern.compile(
        "arn:[a-z0-9-]{1,32}:kms:[a-z0-9-]{0,32}:[0-9]{0,32}:key/[A-Za-z0-9-]{1,128}");
    private static final java.util.regex.Pattern LOCAL_KEK = java.util.regex.Pattern.compile("local:[0-9a-f]{32}");
    private static final int WRAPPED_LENGTH = MasterKeys.MASTER_KEY_LENGTH + AesGcm.TAG_LENGTH;

    /**
     * The slot's header JSON. Fields not used by a type are null and omitted; the order of the
     * components is the order of the properties in the JSON.
     *
     * @param provider {@code kms} and {@code keyfile}: the key provider ({@code aws-kms}, {@code local})
     * @param kekId {@code kms} and {@code keyfile}: the KEK as the provider reported it (a KMS key ARN)
     * @param wrappedKey {@code kms} and {@code keyfile}: base64 of the provider's wrapped data key
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Header(String type, String cipher, String kdf, Integer n, Integer r, Integer p, String salt,
            String provider, String kekId, String wrappedKey, Instant created) {
    }

    /** Wraps {@code masterKey} under a passphrase, with a fresh salt. */
    public static byte[] createPassphrase(String slotId, byte[] masterKey, char[] passphrase, ScryptParams params) {
        byte[] salt = AesGcm.randomBytes(32);
        Header h = new Header(TYPE_PASSPHRASE, Algorithms.AES_256_GCM, Algorithms.SCRYPT, params.n(), params.r(), params.p(),
            Base64.getEncoder().encodeToString(salt), null, null, null, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        byte[] kek = scrypt(passphrase, salt, params);
        try {
            return assemble(slotId, h, kek, masterKey);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    /**
     * Wraps {@code masterKey} under a fresh data key of {@code provider}: a {@code kms} slot for
     * {@code aws-kms}, a {@code keyfile} slot for {@code local}. The header records the KEK id the
     * provider reported (for AWS KMS the key ARN, even when the provider was named by alias).
     *
     * @throws KeyProviderException if the provider refuses
     */
    public static byte[] createWrapped(String slotId, byte[] masterKey, KeyProvider provider) {
        DataKey dk = provider.generateDataKey(context(slotId));
        try {
            WrappedKey w = dk.wrapped();
            String type = typeOfProvider(w.provider());
            if (type == null) {
                throw new KeyProviderException("key provider '" + w.provider() + "' cannot hold a key slot");
            }
            Header h = new Header(type, Algorithms.AES_256_GCM, null, null, null, null, null, w.provider(), w.kekId(),
                Base64.getEncoder().encodeToString(w.blob()), Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            byte[] out = assemble(slotId, h, dk.plaintext(), masterKey);
            try {
                parse(slotId, out); // the provider's KEK id and blob must satisfy our own reader
            } catch (CorruptObjectException e) {
                throw new KeyProviderException(provider.describe() + " answered with key id '" + w.kekId() + "' or a "
                    + w.blob().length + "-byte wrapped key, which a " + type + " key slot cannot record; refusing to create it");
            }
            return out;
        } finally {
            dk.destroy();
        }
    }

    /** The encryption context of a provider-wrapped slot's data key. */
    public static java.util.Map<String, String> context(String slotId) {
        return java.util.Map.of(CONTEXT_KEY, slotId);
    }

    private static String typeOfProvider(String provider) {
        return switch (provider) {
            case PROVIDER_AWS_KMS -> TYPE_KMS;
            case PROVIDER_LOCAL -> TYPE_KEYFILE;
            default -> null;
        };
    }

    private static byte[] assemble(String slotId, Header h, byte[] wrappingKey, byte[] masterKey) {
        if (slotId == null || !slotId.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("a key slot id is 32 lower-case hex digits");
        }
        if (masterKey.length != MasterKeys.MASTER_KEY_LENGTH) {
            throw new IllegalArgumentException("master key must be 32 bytes");
        }
        byte[] json = Json.write(h);
        byte[] out = new byte[9 + json.length + AesGcm.NONCE_LENGTH + WRAPPED_LENGTH];
        Magic.KEY_SLOT.writeTo(out, 0);
        out[4] = (byte) FormatVersion.CURRENT;
        ByteReader.putU32(out, 5, json.length);
        System.arraycopy(json, 0, out, 9, json.length);
        int nonceOff = 9 + json.length;
        AesGcm.randomBytes(out, nonceOff, AesGcm.NONCE_LENGTH);
        AesGcm.encrypt(AesGcm.key(wrappingKey), out, nonceOff, Arrays.copyOf(out, nonceOff), ascii(slotId), 0, slotId.length(),
            masterKey, 0, masterKey.length, out, nonceOff + AesGcm.NONCE_LENGTH);
        return out;
    }

    /** Parses a slot without any key; fails on malformation and on unknown types or algorithms. */
    public static KeySlot parse(String slotId, byte[] data) {
        String object = "key slot keys/" + slotId;
        ByteReader r = new ByteReader(data, 0, data.length, object);
        int magicAt = r.skip(4);
        if (!Magic.KEY_SLOT.matches(data, magicAt)) {
            throw r.corrupt("wrong magic");
        }
        FormatVersion.check(r.u8(), object);
        int h = r.u32();
        if (h < 1 || h > MAX_HEADER) {
            throw r.corrupt("header length out of range");
        }
        int headerAt = r.skip(h);
        Header header = Json.read(Arrays.copyOfRange(data, headerAt, headerAt + h), Header.class, object);
        byte[] authenticated = Arrays.copyOf(data, r.position());
        byte[] nonce = r.bytes(AesGcm.NONCE_LENGTH);
        byte[] wrapped = r.bytes(WRAPPED_LENGTH);
        r.expectEnd();
        if (header.type() == null) {
            throw r.corrupt("slot type missing");
        }
        switch (header.type()) {
            case TYPE_PASSPHRASE -> {
                Algorithms.cipherId(header.cipher());
                Algorithms.checkPassphraseKdf(header.kdf());
                if (header.n() == null || header.r() == null || header.p() == null || header.salt() == null) {
                    throw r.corrupt("scrypt parameters missing");
                }
                new ScryptParams(header.n(), header.r(), header.p()).check(object);
                byte[] salt = decodeSalt(header.salt(), r);
                if (salt.length < 16 || salt.length > 64) {
                    throw r.corrupt("salt length out of range");
                }
                if (header.provider() != null || header.kekId() != null || header.wrappedKey() != null) {
                    throw r.corrupt("key provider fields in a passphrase slot");
                }
            }
            case TYPE_KMS, TYPE_KEYFILE -> checkWrappedHeader(header, r);
            default -> throw new UnsupportedFormatException(object + " has unknown key slot type '" + header.type() + "'");
        }
        return new KeySlot(slotId, header, authenticated, nonce, wrapped);
    }

    private static void checkWrappedHeader(Header header, ByteReader r) {
        Algorithms.cipherId(header.cipher());
        if (header.kdf() != null || header.n() != null || header.r() != null || header.p() != null || header.salt() != null) {
            throw r.corrupt("passphrase fields in a '" + header.type() + "' slot");
        }
        if (header.provider() == null || header.kekId() == null || header.wrappedKey() == null) {
            throw r.corrupt("key provider fields missing");
        }
        boolean kms = TYPE_KMS.equals(header.type());
        String expected = kms ? PROVIDER_AWS_KMS : PROVIDER_LOCAL;
        if (!expected.equals(header.provider())) {
            if (typeOfProvider(header.provider()) == null) {
                throw new UnsupportedFormatException("unknown key provider '" + header.provider() + "' in key slot (this Lifeboat knows: "
                    + PROVIDER_AWS_KMS + ", " + PROVIDER_LOCAL + ")");
            }
            throw r.corrupt("a '" + header.type() + "' slot must name provider '" + expected + "'");
        }
        if (!(kms ? KMS_ARN : LOCAL_KEK).matcher(header.kekId()).matches()) {
            throw r.corrupt(kms ? "kekId is not a KMS key ARN" : "kekId is not a local key file id");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(header.wrappedKey());
        } catch (IllegalArgumentException e) {
            throw r.corrupt("wrappedKey is not base64");
        }
        if (kms ? blob.length < 1 || blob.length > MAX_KMS_WRAPPED : blob.length != LOCAL_WRAPPED) {
            throw r.corrupt("wrappedKey length out of range");
        }
    }

    /** True for the types whose wrapping key comes from a {@link KeyProvider}. */
    public boolean isProviderWrapped() {
        return TYPE_KMS.equals(header.type()) || TYPE_KEYFILE.equals(header.type());
    }

    /** The provider's wrapped data key recorded in a {@code kms} or {@code keyfile} slot. */
    public WrappedKey wrappedKey() {
        if (!isProviderWrapped()) {
            throw new IllegalStateException(this + " holds no provider-wrapped key");
        }
        return new WrappedKey(header.provider(), header.kekId(), Base64.getDecoder().decode(header.wrappedKey()));
    }

    /**
     * The master key of a {@code kms} or {@code keyfile} slot, unwrapped through {@code provider},
     * which must be bound to the slot's recorded KEK (the provider checks the KEK the key service
     * reports against it).
     *
     * @throws KeyProviderException if the provider refuses (disabled or deleted key, access denied,
     *     wrong KEK, a wrapped key that is not for this slot)
     * @throws CorruptObjectException if the data key is accepted but the master key does not
     *     authenticate: the slot was altered
     */
    public byte[] unwrapWith(KeyProvider provider) {
        byte[] dataKey = provider.unwrap(wrappedKey(), context(slotId));
        try {
            if (dataKey.length != AesGcm.KEY_LENGTH) {
                throw new KeyProviderException("the key provider returned a " + dataKey.length + "-byte key for key slot " + slotId);
            }
            byte[] master = AesGcm.decrypt(AesGcm.key(dataKey), nonce, 0, authenticated, ascii(slotId), 0, slotId.length(),
                wrapped, 0, wrapped.length);
            if (master == null) {
                throw new CorruptObjectException("key slot keys/" + slotId + " is corrupt: the master key does not authenticate");
            }
            return master;
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * Runs this passphrase slot's scrypt now, in this thread, for a later {@link #unwrapPassphrase}
     * with the same passphrase to use (see {@link ScryptAhead}); does nothing for other types.
     */
    public void deriveAhead(char[] passphrase) {
        if (!TYPE_PASSPHRASE.equals(header.type())) {
            return;
        }
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] pw = new byte[bb.remaining()];
        bb.get(pw);
        if (bb.hasArray()) {
            Arrays.fill(bb.array(), (byte) 0);
        }
        try {
            ScryptAhead.derive(pw, Base64.getDecoder().decode(header.salt()), header.n(), header.r(), header.p(), 32);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    /** The master key if {@code passphrase} opens this slot, else null. */
    public byte[] unwrapPassphrase(char[] passphrase) {
        if (!TYPE_PASSPHRASE.equals(header.type())) {
            return null;
        }
        byte[] salt = Base64.getDecoder().decode(header.salt());
        byte[] kek = scrypt(passphrase, salt, new ScryptParams(header.n(), header.r(), header.p()));
        try {
            return AesGcm.decrypt(AesGcm.key(kek), nonce, 0, authenticated, ascii(slotId), 0, slotId.length(),
                wrapped, 0, wrapped.length);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "KeySlot[" + slotId + ", " + header.type() + (header.kekId() == null ? "" : ", " + header.kekId()) + "]";
    }

    private static byte[] decodeSalt(String b64, ByteReader r) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw r.corrupt("salt is not base64");
        }
    }

    private static byte[] scrypt(char[] passphrase, byte[] salt, ScryptParams p) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] pw = new byte[bb.remaining()];
        bb.get(pw);
        if (bb.hasArray()) {
            Arrays.fill(bb.array(), (byte) 0);
        }
        try {
            byte[] ahead = ScryptAhead.take(pw, salt, p.n(), p.r(), p.p(), 32);
            return ahead != null ? ahead : Scrypt.derive(pw, salt, p.n(), p.r(), p.p(), 32);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static void checkSlotId(String slotId) {
        if (slotId == null || !slotId.matches("[0-9a-f]{32}")) {
            throw new CorruptObjectException("invalid key slot id");
        }
    }
}
