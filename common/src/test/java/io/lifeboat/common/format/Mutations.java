package io.lifeboat.common.format;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.UnsupportedFormatException;
import java.util.Arrays;

/**
 * Malformed-input drills for binary parsers: truncations at many offsets and a flipped bit in
 * every byte must each be rejected with {@link CorruptObjectException} or
 * {@link UnsupportedFormatException}, never another exception, a hang or a silent success.
 */
public final class Mutations {
    /** Parses bytes, throwing on any malformation. */
    @FunctionalInterface
    public interface Parser {
        void parse(byte[] data) throws Exception;
    }

    private Mutations() {
    }

    public static void assertRejectsTruncationsAndBitFlips(byte[] valid, Parser parser) {
        assertThatCode(() -> parser.parse(valid.clone())).as("the unmodified input parses").doesNotThrowAnyException();
        int step = Math.max(1, valid.length / 200);
        for (int len = 0; len < valid.length; len += (len < 64 ? 1 : step)) {
            assertRejected(Arrays.copyOf(valid, len), parser, "truncated to " + len + " bytes");
        }
        int flipStep = Math.max(1, valid.length / 2000);
        for (int i = 0; i < valid.length; i += flipStep) {
            byte[] b = valid.clone();
            b[i] ^= (byte) (1 << (i % 8));
            assertRejected(b, parser, "bit " + (i % 8) + " of byte " + i + " flipped");
        }
        byte[] longer = Arrays.copyOf(valid, valid.length + 1);
        assertRejected(longer, parser, "one byte appended");
    }

    public static void assertRejected(byte[] data, Parser parser, String what) {
        try {
            parser.parse(data);
        } catch (CorruptObjectException | UnsupportedFormatException expected) {
            return;
        } catch (Throwable t) {
            fail(what + ": expected a corrupt-object error but got " + t, t);
        }
        fail(what + ": the parser accepted malformed input");
    }
}
