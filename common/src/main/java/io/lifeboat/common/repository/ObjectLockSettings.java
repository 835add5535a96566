package io.lifeboat.common.repository;

import io.lifeboat.common.store.ObjectLockMode;
import java.time.Duration;

/**
 * The repository's S3 Object Lock setting (format section 6, field {@code objectLock}): every pack,
 * index file, manifest, journal entry, keyring and key slot is written with a retain-until date of
 * at least {@code retentionSeconds} after it is written, and a snapshot extends the retention of
 * everything it depends on to its own before it is committed (docs/design/object-lock.md).
 *
 * @param mode {@code COMPLIANCE} or {@code GOVERNANCE}
 * @param retentionSeconds how long each object stays locked, at least 1 second and at most 100 years
 */
public record ObjectLockSettings(String mode, long retentionSeconds) {
    public static final long MAX_SECONDS = 100L * 366 * 86_400;

    public static ObjectLockSettings of(ObjectLockMode mode, Duration retention) {
        ObjectLockSettings s = new ObjectLockSettings(mode.name(), retention.toSeconds());
        s.validate();
        return s;
    }

    /** Throws {@link UnsupportedFormatException} for an unknown mode, {@link CorruptObjectException} for a bad duration. */
    public void validate() {
        lockMode();
        if (retentionSeconds < 1 || retentionSeconds > MAX_SECONDS) {
            throw new CorruptObjectException("config is corrupt: object lock retention out of range");
        }
    }

    /** The mode as the store port names it. */
    public ObjectLockMode lockMode() {
        if (mode == null) {
            throw new CorruptObjectException("config is corrupt: object lock mode missing");
        }
        return switch (mode) {
            case "COMPLIANCE" -> ObjectLockMode.COMPLIANCE;
            case "GOVERNANCE" -> ObjectLockMode.GOVERNANCE;
            default -> throw new UnsupportedFormatException("unknown object lock mode '" + mode + "' (this Lifeboat knows: COMPLIANCE, GOVERNANCE)");
        };
    }

    public Duration retention() {
        return Duration.ofSeconds(retentionSeconds);
    }

    /**
     * How much longer than needed a retention is set, so an object reused by every backup is
     * extended only once per this period instead of at every backup: a tenth of the retention,
     * at most 7 days (docs/design/object-lock.md).
     */
    public Duration extensionSlack() {
        Duration tenth = Duration.ofMillis(retention().toMillis() / 10);
        return tenth.compareTo(Duration.ofDays(7)) > 0 ? Duration.ofDays(7) : tenth;
    }

    /** One line for the CLI: "COMPLIANCE, 30 days". */
    public String describe() {
        long s = retentionSeconds;
        String d = s % 86_400 == 0 ? (s / 86_400) + (s == 86_400 ? " day" : " days") : retention().toString();
        return mode + ", " + d;
    }
}
