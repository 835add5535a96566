package io.lifeboat.common.engine.postgres.wal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.crypto.Algorithms;
import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.format.ByteReader;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.keys.Keyring;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.FormatVersion;
import io.lifeboat.common.repository.UnsupportedFormatException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * Encodes and decodes one WAL archive object (docs/repository-format.md, section 16):
 * <pre>
 * off len field
 * 0   4   magic "LBWL"
 * 4   1   format version = 1
 * 5   1   cipher wire id = 1 (aes-256-gcm)
 * 6   1   compression wire id (0 none, 1 zstd)
 * 7   1   kind (1 segment, 2 partial, 3 timeline history, 4 backup history, 5 status)
 * 8   4   u32 data-key epoch
 * 12  8   u64 plaintext length L, at most 1 GiB
 * 20  8   u64 valid bytes V, V &lt;= L (V = L except for partial segments)
 * 28  12  nonce, random
 * 40  n   AES-256-GCM(data key of the epoch, nonce, SHA-256(plaintext) || payload) || 16-byte tag
 * </pre>
 * AAD = bytes {@code [0, 28)} (the header before the nonce) || the object key in UTF-8, so an object cannot be moved to another
 * key (another segment, cluster or kind) without failing authentication. Payload = the zstd frame of
 * the plaintext, or the plaintext itself when zstd does not shrink it.
 *
 * <p>Stateless and thread-safe. Every malformation is a {@link CorruptObjectException} naming the
 * object and never echoing content; a newer version or an unknown algorithm id is an
 * {@link UnsupportedFormatException}.
 */
public final class WalObjectCodec {
    /** Length of the cleartext header, nonce included. */
    public static final int HEADER_LENGTH = 40;
    /** The smallest well-formed object: header, digest, empty payload, tag. */
    public static final int MIN_LENGTH = HEADER_LENGTH + 32 + AesGcm.TAG_LENGTH;
    /** The largest plaintext: a 1 GiB segment, the largest PostgreSQL allows. */
    public static final long MAX_PLAINTEXT = 1L << 30;
    private static final int ZSTD_LEVEL = 3;

    /** What an object holds; the wire ids are part of the format. */
    public enum Kind {
        SEGMENT(1), PARTIAL(2), HISTORY(3), BACKUP_LABEL(4), STATUS(5);

        private final int wireId;

        Kind(int wireId) {
            this.wireId = wireId;
        }

        public int wireId() {
            return wireId;
        }

        static Kind ofWireId(int id) {
            for (Kind k : values()) {
                if (k.wireId == id) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * A decoded object.
     *
     * @param kind what it holds
     * @param plaintext the verified content
     * @param validBytes how many leading bytes are meaningful (partials), else the length
     * @param sha256 SHA-256 of the plaintext
     */
    public record Decoded(Kind kind, byte[] plaintext, long validBytes, byte[] sha256) {
    }

    private final Keyring keyring;

    public WalObjectCodec(Keyring keyring) {
        this.keyring = keyring;
    }

    /** Encodes {@code plaintext} for {@code objectKey} under the keyring's current epoch. */
    public byte[] encode(String objectKey, Kind kind, byte[] plaintext, long validBytes) {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("WAL object too large: " + plaintext.length + " bytes");
        }
        if (validBytes < 0 || validBytes > plaintext.length) {
            throw new IllegalArgumentException("valid bytes " + validBytes + " outside 0.." + plaintext.length);
        }
        byte[] payload = plaintext;
        int compression = Algorithms.COMPRESSION_NONE;
        if (plaintext.length > 64) {
            byte[] z = Zstd.compress(plaintext, ZSTD_LEVEL);
            if (z.length < plaintext.length) {
                payload = z;
                compression = Algorithms.COMPRESSION_ZSTD;
            }
        }
        byte[] inner = new byte[32 + payload.length];
        System.arraycopy(Sha256.hash(plaintext), 0, inner, 0, 32);
        System.arraycopy(payload, 0, inner, 32, payload.length);

        byte[] out = new byte[HEADER_LENGTH + inner.length + AesGcm.TAG_LENGTH];
        Magic.WAL_OBJECT.writeTo(out, 0);
        out[4] = (byte) FormatVersion.CURRENT;
        out[5] = (byte) Algorithms.CIPHER_AES_256_GCM;
        out[6] = (byte) compression;
        out[7] = (byte) kind.wireId();
        ByteReader.putU32(out, 8, keyring.currentEpoch());
        ByteReader.putU64(out, 12, plaintext.length);
        ByteReader.putU64(out, 20, validBytes);
        AesGcm.randomBytes(out, 28, AesGcm.NONCE_LENGTH);
        byte[] aad = aad(out, objectKey);
        AesGcm.encrypt(keyring.current(), out, 28, aad, null, 0, 0, inner, 0, inner.length, out, HEADER_LENGTH);
        return out;
    }

    /** Decodes and verifies an object read from {@code objectKey}. */
    public Decoded decode(String objectKey, byte[] stored) {
        if (stored == null || stored.length < MIN_LENGTH || !Magic.WAL_OBJECT.matches(stored, 0)) {
            throw corrupt(objectKey, "not a WAL archive object");
        }
        FormatVersion.check(stored[4] & 0xFF, objectKey);
        Algorithms.checkCipherId(stored[5] & 0xFF);
        int compression = stored[6] & 0xFF;
        Algorithms.checkCompressionId(compression);
        Kind kind = Kind.ofWireId(stored[7] & 0xFF);
        if (kind == null) {
            throw new UnsupportedFormatException(objectKey + " has an unknown WAL object kind " + (stored[7] & 0xFF));
        }
        long epoch = ByteReader.u32At(stored, 8);
        long length = u64At(stored, 12);
        long valid = u64At(stored, 20);
        if (length < 0 || length > MAX_PLAINTEXT || valid < 0 || valid > length) {
            throw corrupt(objectKey, "invalid length");
        }
        SecretKey key = epoch > Integer.MAX_VALUE ? null : keyring.key((int) epoch);
        if (key == null) {
            throw corrupt(objectKey, "unknown data-key epoch " + epoch);
        }
        byte[] inner = AesGcm.decrypt(key, stored, 28, aad(stored, objectKey), null, 0, 0,
            stored, HEADER_LENGTH, stored.length - HEADER_LENGTH);
        if (inner == null) {
            throw corrupt(objectKey, "authentication failed");
        }
        byte[] digest = Arrays.copyOf(inner, 32);
        byte[] plaintext;
        if (compression == Algorithms.COMPRESSION_ZSTD) {
            plaintext = new byte[(int) length];
            try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
                int n = ctx.decompressByteArray(plaintext, 0, plaintext.length, inner, 32, inner.length - 32);
                if (n != length) {
                    throw corrupt(objectKey, "payload decompresses to the wrong length");
                }
            } catch (ZstdException e) {
                throw corrupt(objectKey, "payload does not decompress");
            }
        } else {
            if (inner.length - 32 != length) {
                throw corrupt(objectKey, "payload has the wrong length");
            }
            plaintext = Arrays.copyOfRange(inner, 32, inner.length);
        }
        if (!MessageDigest.isEqual(digest, Sha256.hash(plaintext))) {
            throw corrupt(objectKey, "SHA-256 does not match");
        }
        return new Decoded(kind, plaintext, valid, digest);
    }

    private static byte[] aad(byte[] header, String objectKey) {
        byte[] k = objectKey.getBytes(StandardCharsets.UTF_8);
        byte[] aad = new byte[28 + k.length];
        System.arraycopy(header, 0, aad, 0, 28);
        System.arraycopy(k, 0, aad, 28, k.length);
        return aad;
    }

    private static long u64At(byte[] b, int off) {
        return (ByteReader.u32At(b, off) << 32) | ByteReader.u32At(b, off + 4);
    }

    private static CorruptObjectException corrupt(String object, String reason) {
        return new CorruptObjectException(object + " is corrupt: " + reason);
    }
}
