package io.lifeboat.common.maintenance;

import io.lifeboat.common.format.ByteReader;
import io.lifeboat.common.repository.BlobId;
import java.util.Arrays;

/**
 * A compact set of blob ids for prune: an open-addressing hash table of the first 8 bytes of each
 * id (a {@code long}), with one "claimed" bit per slot. About 16 bytes per blob at the maximum
 * load of 1/2 plus 1 bit, against ~200 bytes for a {@code HashSet<BlobId>}; 10 million referenced
 * blobs cost about 170 MB at worst. Two distinct blobs sharing 8 bytes of a keyed HMAC (chance
 * about n²/2^65) would make one count as referenced: prune then keeps a blob it could have freed,
 * never the reverse.
 *
 * <p>Not thread-safe.
 */
final class BlobIdSet {
    private static final long EMPTY = 0L;
    /** Stands for the id prefix 0, since 0 marks an empty slot. */
    private static final long ZERO_KEY = 0x9E3779B97F4A7C15L;

    private long[] slots = new long[1 << 10];
    private long[] claimed = new long[slots.length / 64];
    private int size;

    static long keyOf(BlobId id) {
        byte[] b = id.toBytes();
        long k = ByteReader.u32At(b, 0) << 32 | ByteReader.u32At(b, 4);
        return k == EMPTY ? ZERO_KEY : k;
    }

    /** Adds the id; true if it was not present. */
    boolean add(BlobId id) {
        return add(keyOf(id));
    }

    boolean contains(BlobId id) {
        return contains(keyOf(id));
    }

    /** Adds a key made by {@link #keyOf}; true if it was not present. */
    boolean add(long k) {
        if ((size + 1) * 2L > slots.length) {
            grow();
        }
        int i = find(slots, k);
        if (slots[i] == k) {
            return false;
        }
        slots[i] = k;
        size++;
        return true;
    }

    boolean contains(long k) {
        return slots[find(slots, k)] == k;
    }

    /** Marks a present key as claimed (by the pack that will keep it); true if it was present and unclaimed. */
    boolean claim(long k) {
        int i = find(slots, k);
        if (slots[i] != k || (claimed[i >>> 6] & (1L << i)) != 0) {
            return false;
        }
        claimed[i >>> 6] |= 1L << i;
        return true;
    }

    int size() {
        return size;
    }

    /** Number of present ids not claimed by any pack. */
    int unclaimed() {
        int n = 0;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != EMPTY && (claimed[i >>> 6] & (1L << i)) == 0) {
                n++;
            }
        }
        return n;
    }

    private static int find(long[] table, long k) {
        int mask = table.length - 1;
        int i = (int) (mix(k) & mask);
        while (table[i] != EMPTY && table[i] != k) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static long mix(long k) {
        // the keys are HMAC output, so already uniform; the mix only guards against ZERO_KEY clustering
        return k ^ (k >>> 29);
    }

    private void grow() {
        long[] old = slots;
        long[] oldClaimed = claimed;
        slots = new long[old.length * 2];
        claimed = new long[slots.length / 64];
        for (int i = 0; i < old.length; i++) {
            if (old[i] != EMPTY) {
                int j = find(slots, old[i]);
                slots[j] = old[i];
                if ((oldClaimed[i >>> 6] & (1L << i)) != 0) {
                    claimed[j >>> 6] |= 1L << j;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "BlobIdSet[" + size + " ids, " + Arrays.stream(claimed).map(Long::bitCount).sum() + " claimed]";
    }
}
