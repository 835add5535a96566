package io.lifeboat.common.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/** Rules for node names: which are safe to write to disk, and the order nodes are stored in. */
public final class TreeNames {

    /**
     * Names compare by their UTF-8 bytes, unsigned, so every language sorts them the same way.
     * Without encoding them: up to their first difference no name holds a surrogate (else see
     * {@link #byUtf8Bytes}), and UTF-8 orders other characters as their UTF-16 values do.
     */
    public static final Comparator<String> ORDER = TreeNames::compare;

    private TreeNames() {
    }

    private static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                return byUtf8Bytes(a, b);
            }
            if (x != y) {
                return x < y ? -1 : 1;
            }
        }
        // One name is a prefix of the other: its UTF-8 bytes are a prefix too.
        return Integer.compare(a.length(), b.length());
    }

    /**
     * The definition, for names with surrogates: a pair is a code point above U+FFFF (four UTF-8
     * bytes, after every BMP character), and an unpaired one encodes as {@code ?}.
     */
    static int byUtf8Bytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * True for a name that stays inside its directory when joined to it: not empty, not {@code .}
     * or {@code ..}, no {@code /}, no NUL. Backslashes are allowed (they are ordinary characters on
     * POSIX file systems).
     */
    public static boolean isSafe(String name) {
        return name != null && !name.isEmpty() && !name.equals(".") && !name.equals("..")
            && name.indexOf('/') < 0 && name.indexOf('\0') < 0;
    }
}
