package io.lifeboat.common.keys;

import io.lifeboat.common.repository.CorruptObjectException;

/**
 * scrypt cost parameters, stored in a passphrase slot. Checked before use so that a tampered
 * slot cannot make the reader allocate gigabytes or spin for hours.
 *
 * @param n CPU/memory cost, a power of two
 * @param r block size
 * @param p parallelism
 */
public record ScryptParams(int n, int r, int p) {
    /** About 64 MiB and a fraction of a second: the default for new slots. */
    public static ScryptParams defaults() {
        return new ScryptParams(1 << 16, 8, 1);
    }

    /** Cheap parameters for tests only: milliseconds, no security. */
    public static ScryptParams forTests() {
        return new ScryptParams(1 << 4, 1, 1);
    }

    /** Throws {@link CorruptObjectException} unless the parameters are within the format's limits. */
    public void check(String object) {
        boolean ok = n >= 2 && n <= (1 << 22) && Integer.bitCount(n) == 1
            && r >= 1 && r <= 32 && p >= 1 && p <= 16
            && 128L * r * n <= (1L << 30);
        if (!ok) {
            throw new CorruptObjectException(object + " is corrupt: scrypt parameters out of range");
        }
    }
}
