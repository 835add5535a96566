package io.lifeboat.common.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Xxh64Test {
    @Test
    void publishedTestVectors() {
        // XXH64 with seed 0, as published with the reference implementation and its ports.
        assertThat(hash("")).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(hash("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(hash("abc")).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(hash("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
        assertThat(hash("The quick brown fox jumps over the lazy dog")).isEqualTo(0x0B242D361FDA71BCL);
    }

    @Test
    void everyTailLengthAndStripeCountMatchesTheReferenceLibrary() {
        // Computed with libxxhash 0.8.1 (XXH64(pattern, n, 0)), pattern[i] = (i * 31 + 7) & 0xFF: lengths
        // on both sides of the 4-, 8- and 32-byte steps of the algorithm.
        byte[] p = new byte[300];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 31 + 7);
        }
        int[] lengths = {0, 1, 3, 4, 7, 8, 9, 15, 16, 31, 32, 33, 63, 64, 65, 100, 255, 300};
        long[] expected = {0xef46db3751d8e999L, 0xa96c7f0ce858bbb7L, 0x56e6957632a487f9L, 0xc60d15b1e3ff8f04L,
            0xafbefc3d6c6f9a8eL, 0x3da5c7aa269683e0L, 0x4b17a9ba9e215c09L, 0xae2a37eb9357caa7L, 0xa19ad429b02bc413L,
            0x4a74f3a1a39ad4a1L, 0x8d57d6a4671cc43dL, 0x62c9fd21ed857664L, 0x5c320a0d2707057fL, 0x7bbabbc45729d17eL,
            0xf3980c34bae65dc1L, 0xefa0ad2d3e70c151L, 0x2c3db4bb567f731eL, 0x8d2ba0cd7fece76cL};
        for (int i = 0; i < lengths.length; i++) {
            assertThat(Xxh64.hash(p, 0, lengths[i])).as("length %d", lengths[i]).isEqualTo(expected[i]);
            // At an offset, so that no read depends on alignment.
            byte[] shifted = new byte[lengths[i] + 5];
            System.arraycopy(p, 0, shifted, 5, lengths[i]);
            assertThat(Xxh64.hash(shifted, 5, lengths[i])).isEqualTo(expected[i]);
        }
    }

    @Test
    void piecesGiveTheSameHashAsTheWholeWhereverTheyAreCut() {
        Random rnd = new Random(7);
        Xxh64 x = new Xxh64();
        for (int round = 0; round < 500; round++) {
            byte[] b = new byte[rnd.nextInt(200)];
            rnd.nextBytes(b);
            x.reset();
            int off = 0;
            while (off < b.length) {
                int n = Math.min(b.length - off, rnd.nextInt(40));
                x.update(b, off, n);
                off += n;
            }
            assertThat(x.digest()).isEqualTo(Xxh64.hash(b, 0, b.length));
        }
    }

    private static long hash(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Xxh64.hash(b, 0, b.length);
    }
}
