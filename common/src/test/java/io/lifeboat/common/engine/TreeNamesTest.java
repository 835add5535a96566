package io.lifeboat.common.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TreeNames#ORDER} is the unsigned order of the names' UTF-8 bytes, whatever they hold. */
class TreeNamesTest {
    private static final char[] ALPHABET = {'a', 'b', 'z', 'A', '0', '.', '-', '~', '\u007f', '\u0080', '\u00e9',
        '\u00ff', '\u0100', '\u07ff', '\u0800', '\u20ac', '\ud7ff', '\ue000', '\uf8ff', '\ufffd', '\uffff',
        '\ud83d', '\ude00', '\ud800', '\udbff', '\udc00', '\udfff'};

    @Test
    void ordersAsTheUtf8BytesDoForRandomNames() {
        Random rnd = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            String a = name(rnd);
            String b = rnd.nextInt(4) == 0 ? a + name(rnd) : rnd.nextInt(4) == 0 ? mutate(a, rnd) : name(rnd);
            assertThat(Integer.signum(TreeNames.ORDER.compare(a, b)))
                .as("%s vs %s", escape(a), escape(b))
                .isEqualTo(Integer.signum(TreeNames.byUtf8Bytes(a, b)));
        }
    }

    @Test
    void placesCharactersAboveUffffAfterTheRestOfThePlane() {
        // In UTF-16 a surrogate pair sorts below U+E000..U+FFFF; in UTF-8 above them.
        assertThat(TreeNames.ORDER.compare("\ud83d\ude00", "\uffff")).isPositive();
        assertThat(TreeNames.ORDER.compare("\ue000", "\ud83d\ude00")).isNegative();
        assertThat(TreeNames.ORDER.compare("abc", "abd")).isNegative();
        assertThat(TreeNames.ORDER.compare("ab", "abc")).isNegative();
        assertThat(TreeNames.ORDER.compare("\u00e9", "z")).isPositive();
        assertThat(TreeNames.ORDER.compare("same", "same")).isZero();
    }

    private static String name(Random rnd) {
        int len = rnd.nextInt(6);
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(ALPHABET[rnd.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    private static String mutate(String a, Random rnd) {
        if (a.isEmpty()) {
            return name(rnd);
        }
        char[] c = a.toCharArray();
        c[rnd.nextInt(c.length)] = ALPHABET[rnd.nextInt(ALPHABET.length)];
        return new String(c);
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(ch -> sb.append(String.format("\\u%04x", ch)));
        return sb.toString();
    }
}
