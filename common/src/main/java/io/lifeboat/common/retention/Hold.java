package io.lifeboat.common.retention;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A legal hold: while active it keeps every snapshot it targets, whatever the policy says. Stored
 * in the repository as the object {@code holds/<id>} (encoded by {@link HoldCodec}), so
 * maintenance run from the CLI with every service down still honours it.
 *
 * @param id a name such as {@code LEGAL-42}: 1 to 128 of {@code A-Z a-z 0-9 . _ -}, not starting
 *     with a dot (it becomes part of an object key)
 * @param reason why the hold exists (free text, shown in plans and {@code hold list})
 * @param createdBy who set it
 * @param createdAt when it was set
 * @param target the snapshot or tag it protects
 * @param expiresAt when it stops protecting, or null for never
 */
public record Hold(String id, String reason, String createdBy, Instant createdAt, HoldTarget target,
                   Instant expiresAt) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9._\\-]{0,127}");

    public Hold {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(target, "target");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("hold id must be 1 to 128 of A-Z a-z 0-9 . _ - and not start with"
                + " a dot");
        }
        reason = reason == null ? "" : reason;
        createdBy = createdBy == null ? "" : createdBy;
        if (expiresAt != null && !expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("hold " + id + " would expire before it was created");
        }
    }

    public static Hold onSnapshot(String id, String snapshotId, String reason, String createdBy, Instant createdAt) {
        return new Hold(id, reason, createdBy, createdAt, new HoldTarget.OnSnapshot(snapshotId), null);
    }

    public static Hold onTag(String id, String tag, String reason, String createdBy, Instant createdAt) {
        return new Hold(id, reason, createdBy, createdAt, new HoldTarget.OnTag(tag), null);
    }

    public Hold withExpiry(Instant expiry) {
        return new Hold(id, reason, createdBy, createdAt, target, expiry);
    }

    public Optional<Instant> expiry() {
        return Optional.ofNullable(expiresAt);
    }

    /** Active from the moment it exists until (excluding) its expiry. */
    public boolean isActiveAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }

    /** True when active at {@code now} and targeting {@code snapshot}. */
    public boolean protects(SnapshotRef snapshot, Instant now) {
        return isActiveAt(now) && target.matches(snapshot);
    }
}
