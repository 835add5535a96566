package io.lifeboat.common.pack;

import io.lifeboat.common.crypto.Algorithms;
import io.lifeboat.common.format.ByteReader;
import io.lifeboat.common.repository.BlobId;
import io.lifeboat.common.repository.BlobType;
import io.lifeboat.common.repository.CorruptObjectException;

/**
 * Where one blob sits in a pack and how to read it: the 50-byte entry shared by pack trailers and
 * index files (format section 8).
 *
 * @param type the blob's type
 * @param id the blob's id
 * @param offset offset of the stored blob in the pack
 * @param length stored length (header + ciphertext + tag)
 * @param rawLength plaintext length
 * @param compression compression wire id
 * @param epoch data-key epoch
 */
public record PackEntry(BlobType type, BlobId id, int offset, int length, int rawLength, int compression, int epoch) {
    public static final int ENCODED_LENGTH = 50;
    /** Largest plaintext of one blob, so a reader never allocates more for a corrupt entry. */
    public static final int MAX_RAW_LENGTH = 128 << 20;

    public void writeTo(byte[] dst, int off) {
        dst[off] = (byte) type.code();
        id.writeTo(dst, off + 1);
        ByteReader.putU32(dst, off + 33, offset);
        ByteReader.putU32(dst, off + 37, length);
        ByteReader.putU32(dst, off + 41, rawLength);
        dst[off + 45] = (byte) compression;
        ByteReader.putU32(dst, off + 46, epoch);
    }

    public static PackEntry read(ByteReader r) {
        int typeCode = r.u8();
        BlobType type;
        try {
            type = BlobType.ofCode(typeCode);
        } catch (CorruptObjectException e) {
            throw r.corrupt("unknown blob type " + typeCode);
        }
        int idAt = r.skip(BlobId.LENGTH);
        BlobId id = BlobId.of(r.buffer(), idAt);
        int offset = r.u32();
        int length = r.u32();
        int rawLength = r.u32();
        int compression = r.u8();
        long epoch = r.u32Long();
        if (length < BlobCodec.OVERHEAD || rawLength > MAX_RAW_LENGTH || epoch < 1 || epoch > Integer.MAX_VALUE) {
            throw r.corrupt("blob entry out of range");
        }
        if (compression != Algorithms.COMPRESSION_NONE && compression != Algorithms.COMPRESSION_ZSTD) {
            throw r.corrupt("unknown compression id " + compression);
        }
        return new PackEntry(type, id, offset, length, rawLength, compression, (int) epoch);
    }
}
