package io.lifeboat.common.format;

import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.crypto.Algorithms;
import io.lifeboat.common.crypto.HmacSha256;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.FormatVersion;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * The envelope of every encrypted metadata object (docs/repository-format.md, section 5):
 * <pre>
 * magic(4) | version(1) | cipher id(1) | nonce(12) | AES-256-GCM ciphertext || tag(16)
 * </pre>
 * with the first 6 bytes as associated data. Signed variants prefix the plaintext with
 * HMAC-SHA256(signing key, magic || body).
 *
 * <p>Every malformation gives a {@link CorruptObjectException} naming the object and nothing
 * of its content; an unknown cipher id or a newer version gives
 * {@link io.lifeboat.common.repository.UnsupportedFormatException}.
 */
public final class SealedEnvelope {
    public static final int HEADER_LENGTH = 6;
    public static final int OVERHEAD = HEADER_LENGTH + AesGcm.NONCE_LENGTH + AesGcm.TAG_LENGTH;

    private SealedEnvelope() {
    }

    public static byte[] seal(Magic magic, SecretKey key, byte[] plaintext) {
        byte[] out = new byte[OVERHEAD + plaintext.length];
        magic.writeTo(out, 0);
        out[4] = (byte) FormatVersion.CURRENT;
        out[5] = (byte) Algorithms.CIPHER_AES_256_GCM;
        AesGcm.randomBytes(out, HEADER_LENGTH, AesGcm.NONCE_LENGTH);
        byte[] header = Arrays.copyOf(out, HEADER_LENGTH);
        AesGcm.encrypt(key, out, HEADER_LENGTH, header, null, 0, 0, plaintext, 0, plaintext.length,
            out, HEADER_LENGTH + AesGcm.NONCE_LENGTH);
        return out;
    }

    public static byte[] open(Magic magic, SecretKey key, byte[] sealed, String object) {
        return open(magic, key, sealed, 0, sealed.length, object);
    }

    public static byte[] open(Magic magic, SecretKey key, byte[] buf, int off, int len, String object) {
        if (len < OVERHEAD) {
            throw new CorruptObjectException(object + " is corrupt: truncated");
        }
        if (!magic.matches(buf, off)) {
            throw new CorruptObjectException(object + " is corrupt: wrong magic");
        }
        FormatVersion.check(buf[off + 4] & 0xff, object);
        Algorithms.checkCipherId(buf[off + 5] & 0xff);
        byte[] header = Arrays.copyOfRange(buf, off, off + HEADER_LENGTH);
        byte[] plain = AesGcm.decrypt(key, buf, off + HEADER_LENGTH, header, null, 0, 0,
            buf, off + HEADER_LENGTH + AesGcm.NONCE_LENGTH, len - HEADER_LENGTH - AesGcm.NONCE_LENGTH);
        if (plain == null) {
            throw new CorruptObjectException(object + " is corrupt: authentication failed");
        }
        return plain;
    }

    public static byte[] sealSigned(Magic magic, SecretKey key, HmacSha256 signer, byte[] body) {
        byte[] plain = new byte[HmacSha256.LENGTH + body.length];
        byte[] sig = signer.mac(magic.bytes(), body, 0, body.length);
        System.arraycopy(sig, 0, plain, 0, HmacSha256.LENGTH);
        System.arraycopy(body, 0, plain, HmacSha256.LENGTH, body.length);
        return seal(magic, key, plain);
    }

    /** Opens a signed envelope and returns the verified body. */
    public static byte[] openSigned(Magic magic, SecretKey key, HmacSha256 signer, byte[] sealed, String object) {
        byte[] plain = open(magic, key, sealed, object);
        if (plain.length < HmacSha256.LENGTH) {
            throw new CorruptObjectException(object + " is corrupt: truncated signature");
        }
        byte[] sig = signer.mac(magic.bytes(), plain, HmacSha256.LENGTH, plain.length - HmacSha256.LENGTH);
        if (!HmacSha256.equal(sig, plain, 0)) {
            throw new CorruptObjectException(object + " is corrupt: signature does not verify");
        }
        return Arrays.copyOfRange(plain, HmacSha256.LENGTH, plain.length);
    }
}
