package io.lifeboat.common.index;

import io.lifeboat.common.format.ByteReader;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.format.SealedEnvelope;
import io.lifeboat.common.pack.PackEntry;
import io.lifeboat.common.pack.PackId;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Codec of index files:
 * <pre>
 * sealed "LBIX" envelope of: u32 packCount, then per pack: id(32) | u64 length | u32 n | n entries(50)
 * </pre>
 * Counts are checked against the bytes present before anything is allocated.
 */
public final class IndexFile {
    private static final int PACK_HEADER = PackId.LENGTH + 8 + 4;

    /** One pack as an index file lists it. */
    public record PackRecord(PackId id, long length, List<PackEntry> entries) {
        public PackRecord {
            entries = List.copyOf(entries);
        }
    }

    private IndexFile() {
    }

    public static byte[] seal(List<PackRecord> packs, SecretKey metadataKey) {
        return SealedEnvelope.seal(Magic.INDEX, metadataKey, encode(packs));
    }

    public static List<PackRecord> open(byte[] sealed, SecretKey metadataKey, String object) {
        return decode(SealedEnvelope.open(Magic.INDEX, metadataKey, sealed, object), object);
    }

    static byte[] encode(List<PackRecord> packs) {
        long len = 4;
        for (PackRecord p : packs) {
            len += PACK_HEADER + (long) p.entries().size() * PackEntry.ENCODED_LENGTH;
        }
        if (len > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("index file too large; write several");
        }
        byte[] out = new byte[(int) len];
        ByteReader.putU32(out, 0, packs.size());
        int pos = 4;
        for (PackRecord p : packs) {
            p.id().writeTo(out, pos);
            ByteReader.putU64(out, pos + 32, p.length());
            ByteReader.putU32(out, pos + 40, p.entries().size());
            pos += PACK_HEADER;
            for (PackEntry e : p.entries()) {
                e.writeTo(out, pos);
                pos += PackEntry.ENCODED_LENGTH;
            }
        }
        return out;
    }

    static List<PackRecord> decode(byte[] plain, String object) {
        ByteReader r = new ByteReader(plain, 0, plain.length, object);
        int packCount = r.u32();
        if ((long) packCount * (PACK_HEADER + PackEntry.ENCODED_LENGTH) > r.remaining()) {
            throw r.corrupt("pack count out of range");
        }
        List<PackRecord> packs = new ArrayList<>(packCount);
        for (int i = 0; i < packCount; i++) {
            int idAt = r.skip(PackId.LENGTH);
            PackId id = PackId.of(plain, idAt);
            long length = r.u64();
            int n = r.u32();
            if (n < 1 || (long) n * PackEntry.ENCODED_LENGTH > r.remaining()) {
                throw r.corrupt("entry count out of range");
            }
            List<PackEntry> entries = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                PackEntry e = PackEntry.read(r);
                if ((long) e.offset() + e.length() > length) {
                    throw r.corrupt("blob lies outside its pack");
                }
                entries.add(e);
            }
            packs.add(new PackRecord(id, length, entries));
        }
        r.expectEnd();
        return packs;
    }
}
