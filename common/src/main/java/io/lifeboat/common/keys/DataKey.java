package io.lifeboat.common.keys;

import java.util.Arrays;
import java.util.Objects;

/**
 * A fresh data key: the plaintext to use now and the wrapped form to store. The plaintext never
 * appears in {@link #toString()}; call {@link #destroy()} when done with it.
 *
 * @param plaintext the 32-byte key
 * @param wrapped the same key wrapped under the KEK the key service reported
 */
public record DataKey(byte[] plaintext, WrappedKey wrapped) {
    public DataKey {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(wrapped, "wrapped");
    }

    /** Overwrites the plaintext with zeros. */
    public void destroy() {
        Arrays.fill(plaintext, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataKey d && Arrays.equals(plaintext, d.plaintext) && wrapped.equals(d.wrapped);
    }

    @Override
    public int hashCode() {
        return wrapped.hashCode();
    }

    @Override
    public String toString() {
        return "DataKey[plaintext=***, wrapped=" + wrapped + "]";
    }
}
