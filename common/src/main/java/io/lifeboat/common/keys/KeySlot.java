package io.lifeboat.common.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.crypto.Algorithms;
import io.lifeboat.common.crypto.Scrypt;
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
 * section 4. Only the {@code passphrase} type is implemented; {@code kms} and {@code keyfile}
 * are reserved and fail with {@link UnsupportedFormatException}.
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
    private static final int MAX_HEADER = 65536;
    private static final int WRAPPED_LENGTH = MasterKeys.MASTER_KEY_LENGTH + AesGcm.TAG_LENGTH;

    /** The slot's header JSON. Fields not used by a type are null and omitted. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Header(String type, String cipher, String kdf, Integer n, Integer r, Integer p, String salt, Instant created) {
    }

    /** Wraps {@code masterKey} under a passphrase, with a fresh salt. */
    public static byte[] createPassphrase(String slotId, byte[] masterKey, char[] passphrase, ScryptParams params) {
        byte[] salt = AesGcm.randomBytes(32);
        Header h = new Header(TYPE_PASSPHRASE, Algorithms.AES_256_GCM, Algorithms.SCRYPT, params.n(), params.r(), params.p(),
            Base64.getEncoder().encodeToString(salt), Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        byte[] json = Json.write(h);
        byte[] out = new byte[9 + json.length + AesGcm.NONCE_LENGTH + WRAPPED_LENGTH];
        Magic.KEY_SLOT.writeTo(out, 0);
        out[4] = (byte) FormatVersion.CURRENT;
        ByteReader.putU32(out, 5, json.length);
        System.arraycopy(json, 0, out, 9, json.length);
        int nonceOff = 9 + json.length;
        AesGcm.randomBytes(out, nonceOff, AesGcm.NONCE_LENGTH);
        byte[] kek = scrypt(passphrase, salt, params);
        try {
            AesGcm.encrypt(AesGcm.key(kek), out, nonceOff, Arrays.copyOf(out, nonceOff), ascii(slotId), 0, slotId.length(),
                masterKey, 0, masterKey.length, out, nonceOff + AesGcm.NONCE_LENGTH);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
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
            }
            case TYPE_KMS, TYPE_KEYFILE -> throw new UnsupportedFormatException(
                object + " is a '" + header.type() + "' key slot, which this Lifeboat cannot open yet");
            default -> throw new UnsupportedFormatException(object + " has unknown key slot type '" + header.type() + "'");
        }
        return new KeySlot(slotId, header, authenticated, nonce, wrapped);
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
        return "KeySlot[" + slotId + ", " + header.type() + "]";
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
            return Scrypt.derive(pw, salt, p.n(), p.r(), p.p(), 32);
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
