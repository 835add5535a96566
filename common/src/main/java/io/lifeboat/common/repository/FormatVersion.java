package io.lifeboat.common.repository;

/**
 * The repository format version this build writes and the newest it reads. Specified in
 * {@code docs/repository-format.md}; a golden repository per version lives under
 * {@code common/src/test/resources/golden/v<N>/}, and a test fails if this changes without one.
 */
public final class FormatVersion {
    /** Version 1: the format of docs/repository-format.md. */
    public static final int CURRENT = 1;

    private FormatVersion() {
    }

    /** Fails unless a reader of this build understands {@code version}. */
    public static void check(int version, String what) {
        if (version > CURRENT) {
            throw new UnsupportedFormatException(what + " has format version " + version
                + ", newer than this Lifeboat understands (" + CURRENT + "); upgrade Lifeboat");
        }
        if (version < 1) {
            throw new CorruptObjectException(what + " has an invalid format version " + version);
        }
    }
}
