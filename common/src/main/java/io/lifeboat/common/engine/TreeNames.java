package io.lifeboat.common.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/** Rules for node names: which are safe to write to disk, and the order nodes are stored in. */
public final class TreeNames {

    /** Names compare by their UTF-8 bytes, unsigned, so every language sorts them the same way. */
    public static final Comparator<String> ORDER = (a, b) ->
        Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private TreeNames() {
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
