package io.lifeboat.common.pack;

import io.lifeboat.common.format.ByteReader;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.format.SealedEnvelope;
import io.lifeboat.common.repository.CorruptObjectException;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;

/** Parses pack trailers; every malformation is a {@link CorruptObjectException} naming the pack. */
public final class PackReader {
    /** Bytes after the trailer: u32 trailer length and the end magic. */
    public static final int TAIL_LENGTH = 8;

    private PackReader() {
    }

    /**
     * The trailer's length, read from the last 8 bytes of a pack of {@code packLength} bytes.
     * Fails unless it fits the pack.
     */
    public static int trailerLength(byte[] tail, int tailOff, long packLength, String object) {
        if (packLength < TAIL_LENGTH + SealedEnvelope.OVERHEAD || tail.length - tailOff < TAIL_LENGTH) {
            throw new CorruptObjectException(object + " is corrupt: too short for a pack");
        }
        if (!Magic.PACK_END.matches(tail, tailOff + 4)) {
            throw new CorruptObjectException(object + " is corrupt: wrong end magic");
        }
        long t = ByteReader.u32At(tail, tailOff);
        if (t < SealedEnvelope.OVERHEAD + 4 || t > packLength - TAIL_LENGTH) {
            throw new CorruptObjectException(object + " is corrupt: trailer length out of range");
        }
        return (int) t;
    }

    /** Parses the trailer of a whole pack held in memory, checking that blobs tile the pack. */
    public static List<PackEntry> entries(byte[] pack, SecretKey metadataKey, String object) {
        return entries(pack, pack.length, metadataKey, object);
    }

    /** As {@link #entries(byte[], SecretKey, String)} for a pack of {@code length} bytes at the start of {@code buf}. */
    public static List<PackEntry> entries(byte[] buf, int length, SecretKey metadataKey, String object) {
        if (length < 0 || length > buf.length) {
            throw new IllegalArgumentException("pack length " + length + " outside a buffer of " + buf.length);
        }
        int t = trailerLength(buf, length - TAIL_LENGTH, length, object);
        int trailerAt = length - TAIL_LENGTH - t;
        return decodeTrailer(buf, trailerAt, t, trailerAt, metadataKey, object);
    }

    /**
     * Decrypts and parses a trailer of {@code len} bytes at {@code buf[off]}; {@code dataLength}
     * is the length of the blob area in front of it.
     */
    public static List<PackEntry> decodeTrailer(byte[] buf, int off, int len, long dataLength, SecretKey metadataKey, String object) {
        byte[] plain = SealedEnvelope.open(Magic.PACK_TRAILER, metadataKey, buf, off, len, object);
        ByteReader r = new ByteReader(plain, 0, plain.length, object);
        int count = r.u32();
        if (count < 1 || (long) count * PackEntry.ENCODED_LENGTH != r.remaining()) {
            throw r.corrupt("trailer entry count does not match its length");
        }
        List<PackEntry> entries = new ArrayList<>(count);
        long expectedOffset = 0;
        for (int i = 0; i < count; i++) {
            PackEntry e = PackEntry.read(r);
            if (e.offset() != expectedOffset) {
                throw r.corrupt("blobs are not contiguous");
            }
            expectedOffset += e.length();
            entries.add(e);
        }
        if (expectedOffset != dataLength) {
            throw r.corrupt("blobs do not end where the trailer begins");
        }
        return entries;
    }
}
