package io.lifeboat.common.pack;

import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.format.ByteReader;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.format.SealedEnvelope;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Collects encoded blobs and produces one pack (format section 8). Blobs are kept as the arrays
 * the encoding threads made and copied once, into the final pack, so a 16 MiB pack costs one
 * 16 MiB copy.
 *
 * <p>Threading: not thread-safe; the repository serialises access.
 */
public final class PackWriter {
    /** A finished pack: its id, its bytes and what it holds. */
    public record FinishedPack(PackId id, byte[] bytes, List<PackEntry> entries) {
    }

    private final List<BlobCodec.EncodedBlob> blobs = new ArrayList<>();
    private long size;

    public void add(BlobCodec.EncodedBlob blob) {
        blobs.add(blob);
        size += blob.stored().length;
    }

    /** Bytes of blob data so far, without the trailer. */
    public long size() {
        return size;
    }

    public int count() {
        return blobs.size();
    }

    public boolean isEmpty() {
        return blobs.isEmpty();
    }

    public FinishedPack finish(SecretKey metadataKey) {
        if (blobs.isEmpty()) {
            throw new IllegalStateException("a pack holds at least one blob");
        }
        if (size > Integer.MAX_VALUE - (1 << 24)) {
            throw new IllegalStateException("pack too large");
        }
        List<PackEntry> entries = new ArrayList<>(blobs.size());
        int offset = 0;
        for (BlobCodec.EncodedBlob b : blobs) {
            entries.add(new PackEntry(b.type(), b.id(), offset, b.stored().length, b.rawLength(), b.compression(), b.epoch()));
            offset += b.stored().length;
        }
        byte[] trailer = SealedEnvelope.seal(Magic.PACK_TRAILER, metadataKey, encodeEntries(entries));
        byte[] pack = new byte[offset + trailer.length + 8];
        int pos = 0;
        for (BlobCodec.EncodedBlob b : blobs) {
            System.arraycopy(b.stored(), 0, pack, pos, b.stored().length);
            pos += b.stored().length;
        }
        System.arraycopy(trailer, 0, pack, pos, trailer.length);
        pos += trailer.length;
        ByteReader.putU32(pack, pos, trailer.length);
        Magic.PACK_END.writeTo(pack, pos + 4);
        blobs.clear();
        size = 0;
        MessageDigest sha = Sha256.newDigest();
        return new FinishedPack(PackId.of(sha.digest(pack)), pack, List.copyOf(entries));
    }

    static byte[] encodeEntries(List<PackEntry> entries) {
        byte[] plain = new byte[4 + entries.size() * PackEntry.ENCODED_LENGTH];
        ByteReader.putU32(plain, 0, entries.size());
        int pos = 4;
        for (PackEntry e : entries) {
            e.writeTo(plain, pos);
            pos += PackEntry.ENCODED_LENGTH;
        }
        return plain;
    }
}
