package io.lifeboat.common.repository;

import io.lifeboat.common.format.Json;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.format.SealedEnvelope;
import io.lifeboat.common.keys.MasterKeys;
import io.lifeboat.common.pack.PackId;
import java.time.Instant;

/**
 * The small signed records of maintenance (docs/repository-format.md, sections 13 and 14): prune
 * candidates, maintenance lease claims and backup-session markers. Each is a signed sealed
 * envelope of JSON under the metadata key, like journal entries, so nobody without the key can
 * forge a candidate time (and make a pack deletable early) or a lease.
 *
 * <p>Stateless and thread-safe. Decoding failures are {@link CorruptObjectException} naming the
 * object; a newer version is {@link UnsupportedFormatException}.
 */
public final class MaintenanceRecords {
    /**
     * A pack prune found unreferenced at {@code since}; deletable by a later run once the grace
     * period has passed and it is still unreferenced.
     *
     * @param pack the pack
     * @param length the pack's length when it was marked
     * @param since when it was marked
     * @param reason {@code unused} or {@code repacked}
     * @param token the fencing token of the prune run that marked it
     */
    public record PruneCandidate(PackId pack, long length, Instant since, String reason, long token) {
    }

    /**
     * A claim on the maintenance lease.
     *
     * @param holder who runs maintenance (user@host)
     * @param token the fencing token, one above every token seen when the claim was made
     * @param acquired when the claim was written
     * @param expires when the claim stops counting unless renewed
     * @param released true once the holder finished; kept so the next token stays above it
     */
    public record LeaseClaim(String holder, long token, Instant acquired, Instant expires, boolean released) {
        /** True when the claim still excludes other maintenance runs at {@code now}. */
        public boolean activeAt(Instant now) {
            return !released && now.isBefore(expires);
        }
    }

    /**
     * A running backup session: written before the session's first dedup decision, refreshed at
     * each flush, deleted at close. Prune never deletes a candidate while a live session older
     * than the candidate exists.
     *
     * @param actor who runs the backup
     * @param started when the session began deduplicating (before it listed the candidates)
     * @param heartbeat when the session last showed it is alive
     */
    public record BackupSession(String actor, Instant started, Instant heartbeat) {
    }

    record RetentionJson(int version, Instant written, java.util.SortedMap<String, Instant> objects) {
    }

    record CandidateJson(int version, String pack, long length, Instant since, String reason, long token) {
    }

    record ClaimJson(int version, String holder, long token, Instant acquired, Instant expires, boolean released) {
    }

    record SessionJson(int version, String actor, Instant started, Instant heartbeat) {
    }

    private final MasterKeys keys;

    MaintenanceRecords(MasterKeys keys) {
        this.keys = keys;
    }

    public byte[] encode(PruneCandidate c) {
        return seal(Magic.PRUNE_CANDIDATE, new CandidateJson(FormatVersion.CURRENT, c.pack().hex(), c.length(), c.since(), c.reason(), c.token()));
    }

    public PruneCandidate decodeCandidate(byte[] bytes, String object) {
        CandidateJson j = open(Magic.PRUNE_CANDIDATE, bytes, CandidateJson.class, object);
        FormatVersion.check(j.version(), object);
        if (j.pack() == null || j.since() == null) {
            throw new CorruptObjectException(object + " is corrupt: required field missing");
        }
        PackId pack;
        try {
            pack = PackId.parse(j.pack());
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException(object + " is corrupt: malformed pack id");
        }
        if (!object.equals(RepositoryLayout.pruneCandidate(pack))) {
            throw new CorruptObjectException(object + " is corrupt: names another pack");
        }
        return new PruneCandidate(pack, j.length(), j.since(), j.reason() == null ? "" : j.reason(), j.token());
    }

    public byte[] encode(LeaseClaim c) {
        return seal(Magic.MAINTENANCE_CLAIM, new ClaimJson(FormatVersion.CURRENT, c.holder(), c.token(), c.acquired(), c.expires(), c.released()));
    }

    public LeaseClaim decodeClaim(byte[] bytes, String object) {
        ClaimJson j = open(Magic.MAINTENANCE_CLAIM, bytes, ClaimJson.class, object);
        FormatVersion.check(j.version(), object);
        if (j.acquired() == null || j.expires() == null || j.token() != RepositoryLayout.tokenOfClaim(object)) {
            throw new CorruptObjectException(object + " is corrupt: required field missing or token differs from its name");
        }
        return new LeaseClaim(j.holder() == null ? "" : j.holder(), j.token(), j.acquired(), j.expires(), j.released());
    }

    public byte[] encode(BackupSession s) {
        return seal(Magic.BACKUP_SESSION, new SessionJson(FormatVersion.CURRENT, s.actor(), s.started(), s.heartbeat()));
    }

    public BackupSession decodeSession(byte[] bytes, String object) {
        SessionJson j = open(Magic.BACKUP_SESSION, bytes, SessionJson.class, object);
        FormatVersion.check(j.version(), object);
        if (j.started() == null || j.heartbeat() == null) {
            throw new CorruptObjectException(object + " is corrupt: required field missing");
        }
        return new BackupSession(j.actor() == null ? "" : j.actor(), j.started(), j.heartbeat());
    }

    /**
     * A retention record (format section 17): object key to a retain-until date that was set or
     * seen on that object's current version.
     */
    public byte[] encodeRetention(java.util.Map<String, Instant> objects, Instant written) {
        return seal(Magic.RETENTION_RECORD, new RetentionJson(FormatVersion.CURRENT, written, new java.util.TreeMap<>(objects)));
    }

    public java.util.Map<String, Instant> decodeRetention(byte[] bytes, String object) {
        RetentionJson j = open(Magic.RETENTION_RECORD, bytes, RetentionJson.class, object);
        FormatVersion.check(j.version(), object);
        if (j.written() == null || j.objects() == null || j.objects().values().stream().anyMatch(java.util.Objects::isNull)) {
            throw new CorruptObjectException(object + " is corrupt: required field missing");
        }
        return j.objects();
    }

    private byte[] seal(Magic magic, Object json) {
        return SealedEnvelope.sealSigned(magic, keys.metadataKey(), keys.signer(), Json.write(json));
    }

    private <T> T open(Magic magic, byte[] bytes, Class<T> type, String object) {
        return Json.read(SealedEnvelope.openSigned(magic, keys.metadataKey(), keys.signer(), bytes, object), type, object);
    }
}
