package io.lifeboat.common.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The Object Lock retention of one object version: it cannot be deleted before {@code retainUntil}.
 *
 * @param mode how strictly the store enforces it
 * @param retainUntil the earliest time the version may be deleted
 */
public record Retention(ObjectLockMode mode, Instant retainUntil) {
    public Retention {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(retainUntil, "retainUntil");
    }

    /** True if this retention still forbids deleting the version at {@code now}. */
    public boolean activeAt(Instant now) {
        return now.isBefore(retainUntil);
    }
}
