package io.lifeboat.common.pack;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import io.lifeboat.common.crypto.AesGcm;
import io.lifeboat.common.crypto.Algorithms;
import io.lifeboat.common.crypto.HmacSha256;
import io.lifeboat.common.format.ByteReader;
import io.lifeboat.common.keys.Keyring;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.BlobType;
import io.lifeboat.common.repository.CorruptObjectException;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * Turns a plaintext blob into its stored form and back (format section 7):
 * <pre>
 * compression id(1) | u32 epoch | nonce(12) | AES-256-GCM(data key, payload) || tag(16)
 * </pre>
 * with AAD = blob id || type || the first 5 bytes. zstd is used only when it shrinks the blob.
 *
 * <p>Threading: safe for concurrent use; each thread keeps its own zstd contexts and scratch
 * buffer, so a backup compresses and encrypts on every core.
 */
public final class BlobCodec {
    public static final int HEADER_LENGTH = 17;
    public static final int OVERHEAD = HEADER_LENGTH + AesGcm.TAG_LENGTH;

    /** A blob ready for a pack. */
    public record EncodedBlob(BlobType type, BlobId id, byte[] stored, int rawLength, int compression, int epoch) {
    }

    private final Keyring keyring;
    private final HmacSha256 idMac;
    private final boolean compress;
    private final ThreadLocal<ZstdCompressCtx> compressor;
    private final ThreadLocal<ZstdDecompressCtx> decompressor = ThreadLocal.withInitial(ZstdDecompressCtx::new);
    private final ThreadLocal<byte[][]> scratch = ThreadLocal.withInitial(() -> new byte[1][]);
    /** Plaintext of {@link #verify}, which is checked and dropped. */
    private final ThreadLocal<byte[][]> plainScratch = ThreadLocal.withInitial(() -> new byte[1][]);

    public BlobCodec(Keyring keyring, HmacSha256 idMac, String compression, int level) {
        this.keyring = keyring;
        this.idMac = idMac;
        this.compress = Algorithms.compressionId(compression) == Algorithms.COMPRESSION_ZSTD;
        this.compressor = ThreadLocal.withInitial(() -> {
            ZstdCompressCtx c = new ZstdCompressCtx();
            c.setLevel(level);
            return c;
        });
    }

    public BlobId blobId(byte[] data, int off, int len) {
        return BlobId.of(idMac.mac(data, off, len));
    }

    public EncodedBlob encode(BlobType type, BlobId id, byte[] data, int off, int len) {
        if (len > PackEntry.MAX_RAW_LENGTH) {
            throw new IllegalArgumentException("blob of " + len + " bytes exceeds the format's limit of " + PackEntry.MAX_RAW_LENGTH);
        }
        byte[] payload = data;
        int payloadOff = off;
        int payloadLen = len;
        int compression = Algorithms.COMPRESSION_NONE;
        if (compress && len > 64) {
            int bound = (int) Math.min(Integer.MAX_VALUE - 64, Zstd.compressBound(len));
            byte[][] holder = scratch.get();
            if (holder[0] == null || holder[0].length < bound) {
                holder[0] = new byte[Math.max(bound, 1 << 16)];
            }
            int n = compressor.get().compressByteArray(holder[0], 0, holder[0].length, data, off, len);
            if (n < len) {
                payload = holder[0];
                payloadOff = 0;
                payloadLen = n;
                compression = Algorithms.COMPRESSION_ZSTD;
            }
        }
        int epoch = keyring.currentEpoch();
        SecretKey key = keyring.current();
        byte[] stored = new byte[OVERHEAD + payloadLen];
        stored[0] = (byte) compression;
        ByteReader.putU32(stored, 1, epoch);
        AesGcm.randomBytes(stored, 5, AesGcm.NONCE_LENGTH);
        AesGcm.encrypt(key, stored, 5, aad(id, type, stored, 0), null, 0, 0, payload, payloadOff, payloadLen, stored, HEADER_LENGTH);
        return new EncodedBlob(type, id, stored, len, compression, epoch);
    }

    /**
     * Decrypts, decompresses and verifies one stored blob against its entry.
     *
     * @param object names the pack in errors
     */
    public byte[] decode(PackEntry entry, byte[] buf, int off, int len, String object) {
        return decode(entry, buf, off, len, object, false);
    }

    /**
     * Verifies one stored blob as {@link #decode} does (authenticates, decompresses, re-hashes),
     * without keeping the plaintext: it goes to this thread's scratch buffer, so checking a
     * repository allocates nothing per blob.
     *
     * @throws CorruptObjectException as {@link #decode}
     */
    public void verify(PackEntry entry, byte[] buf, int off, int len, String object) {
        decode(entry, buf, off, len, object, true);
    }

    /**
     * Decodes and verifies one stored blob as {@link #decode} does into this thread's scratch
     * buffer, which it returns: the plaintext is its first {@code entry.rawLength()} bytes, valid
     * until this thread's next call of this method or {@link #verify}. For callers that write the
     * plaintext out at once (restore) and so need no array of their own per blob.
     *
     * @throws CorruptObjectException as {@link #decode}
     */
    public byte[] decodeToScratch(PackEntry entry, byte[] buf, int off, int len, String object) {
        return decode(entry, buf, off, len, object, true);
    }

    private byte[] decode(PackEntry entry, byte[] buf, int off, int len, String object, boolean intoScratch) {
        if (len != entry.length() || len < OVERHEAD) {
            throw new CorruptObjectException(what(entry, object) + " is corrupt: wrong length");
        }
        int compression = buf[off] & 0xff;
        long epoch = ByteReader.u32At(buf, off + 1);
        if (compression != entry.compression() || epoch != entry.epoch()) {
            throw new CorruptObjectException(what(entry, object) + " is corrupt: header does not match the index");
        }
        SecretKey key = keyring.key(entry.epoch());
        if (key == null) {
            throw new CorruptObjectException(what(entry, object) + " uses key epoch " + epoch + ", which the keyring lacks");
        }
        int payloadLength = len - OVERHEAD;
        byte[] plain;
        if (compression == Algorithms.COMPRESSION_ZSTD) {
            if (entry.rawLength() > PackEntry.MAX_RAW_LENGTH) {
                throw new CorruptObjectException(what(entry, object) + " is corrupt: raw length out of range");
            }
            // The compressed payload only passes through: decrypt it into this thread's scratch buffer.
            byte[] payload = scratch(scratch, payloadLength);
            if (AesGcm.decryptInto(key, buf, off + 5, aad(entry.id(), entry.type(), buf, off),
                    buf, off + HEADER_LENGTH, len - HEADER_LENGTH, payload, 0) != payloadLength) {
                throw new CorruptObjectException(what(entry, object) + " is corrupt: authentication failed");
            }
            plain = intoScratch ? scratch(plainScratch, entry.rawLength()) : new byte[entry.rawLength()];
            int n;
            try {
                n = decompressor.get().decompressByteArray(plain, 0, entry.rawLength(), payload, 0, payloadLength);
            } catch (RuntimeException e) {
                throw new CorruptObjectException(what(entry, object) + " is corrupt: does not decompress");
            }
            if (n != entry.rawLength()) {
                throw new CorruptObjectException(what(entry, object) + " is corrupt: wrong decompressed length");
            }
        } else if (compression == Algorithms.COMPRESSION_NONE) {
            if (intoScratch) {
                plain = scratch(plainScratch, payloadLength);
                if (AesGcm.decryptInto(key, buf, off + 5, aad(entry.id(), entry.type(), buf, off),
                        buf, off + HEADER_LENGTH, len - HEADER_LENGTH, plain, 0) != payloadLength) {
                    throw new CorruptObjectException(what(entry, object) + " is corrupt: authentication failed");
                }
            } else {
                plain = AesGcm.decrypt(key, buf, off + 5, aad(entry.id(), entry.type(), buf, off), null, 0, 0,
                    buf, off + HEADER_LENGTH, len - HEADER_LENGTH);
                if (plain == null) {
                    throw new CorruptObjectException(what(entry, object) + " is corrupt: authentication failed");
                }
            }
            if (payloadLength != entry.rawLength()) {
                throw new CorruptObjectException(what(entry, object) + " is corrupt: wrong length");
            }
        } else {
            throw new CorruptObjectException(what(entry, object) + " is corrupt: unknown compression id " + compression);
        }
        if (!Arrays.equals(idMac.mac(plain, 0, entry.rawLength()), entry.id().toBytes())) {
            throw new CorruptObjectException(what(entry, object) + " is corrupt: content does not match its id");
        }
        return plain;
    }

    /** This thread's buffer of {@code holder}, grown to at least {@code length} bytes. */
    private static byte[] scratch(ThreadLocal<byte[][]> holder, int length) {
        byte[][] h = holder.get();
        if (h[0] == null || h[0].length < length) {
            // Powers of two: replaced a few times at most, not once per larger blob.
            h[0] = new byte[length > 1 << 30 ? length : Math.max(Integer.highestOneBit(Math.max(length - 1, 1)) << 1, 1 << 16)];
        }
        return h[0];
    }

    /** Names a blob in errors; built only when one is thrown. */
    private static String what(PackEntry entry, String object) {
        return "blob " + entry.id().shortHex() + " in " + object;
    }

    private static byte[] aad(BlobId id, BlobType type, byte[] header, int headerOff) {
        byte[] aad = new byte[BlobId.LENGTH + 1 + 5];
        id.writeTo(aad, 0);
        aad[BlobId.LENGTH] = (byte) type.code();
        System.arraycopy(header, headerOff, aad, BlobId.LENGTH + 1, 5);
        return aad;
    }
}
