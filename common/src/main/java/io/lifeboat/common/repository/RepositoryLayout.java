package io.lifeboat.common.repository;

import io.lifeboat.common.pack.PackId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one place that spells object keys (docs/repository-format.md, section 1). Everything else
 * asks this class; nothing concatenates key strings of its own.
 */
public final class RepositoryLayout {
    public static final String CONFIG = "config";
    public static final String KEYS = "keys/";
    public static final String KEYRING = "keyring/";
    public static final String DATA = "data/";
    public static final String INDEX = "index/";
    public static final String SNAPSHOTS = "snapshots/";
    public static final String JOURNAL = "journal/";

    /** Reserved for database WAL segments: {@code wal/<cluster>/...}. */
    public static final String WAL = "wal/";
    /** Reserved for retention and tiering policies. */
    public static final String POLICIES = "policies/";
    /** Reserved for legal holds. */
    public static final String HOLDS = "holds/";
    /** Reserved for audit-log checkpoints. */
    public static final String AUDIT = "audit/";
    /** The maintenance lease claims and backup-session markers (section 14). */
    public static final String LOCKS = "locks/";
    /** Prefix of the maintenance lease claims: {@code locks/maintenance-<token>-<random>}. */
    public static final String MAINTENANCE_CLAIMS = LOCKS + "maintenance-";
    /** Prefix of the backup-session markers: {@code locks/backup-<random>}. */
    public static final String BACKUP_SESSIONS = LOCKS + "backup-";
    /** Reserved for job markers. */
    public static final String JOBS = "jobs/";
    /** Candidates of the two-phase prune: {@code prune/<pack id>} (section 13). */
    public static final String PRUNE = "prune/";

    private static final DateTimeFormatter JOURNAL_TIME =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private RepositoryLayout() {
    }

    public static String keySlot(String slotId) {
        return KEYS + slotId;
    }

    public static String keyring(String sha256Hex) {
        return KEYRING + sha256Hex;
    }

    public static String pack(PackId id) {
        String hex = id.hex();
        return DATA + hex.substring(0, 2) + "/" + hex;
    }

    /** The pack id a {@code data/} key names, or null if the key is not a well-formed pack key. */
    public static PackId packIdOf(String key) {
        if (!key.startsWith(DATA) || key.length() != DATA.length() + 3 + 64) {
            return null;
        }
        String hex = key.substring(DATA.length() + 3);
        try {
            PackId id = PackId.parse(hex);
            return key.equals(pack(id)) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static String index(String sha256Hex) {
        return INDEX + sha256Hex;
    }

    public static String snapshot(SnapshotId id) {
        return SNAPSHOTS + id.hex();
    }

    public static String journal(Instant time, String randomHex) {
        return JOURNAL + JOURNAL_TIME.format(time) + "-" + randomHex;
    }

    /** The prune-candidate record of a pack. */
    public static String pruneCandidate(PackId id) {
        return PRUNE + id.hex();
    }

    /** The pack a {@code prune/} key names, or null if the key is not a well-formed candidate key. */
    public static PackId packIdOfCandidate(String key) {
        if (!key.startsWith(PRUNE) || key.length() != PRUNE.length() + 64) {
            return null;
        }
        try {
            PackId id = PackId.parse(key.substring(PRUNE.length()));
            return key.equals(pruneCandidate(id)) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A maintenance lease claim. The token is zero-padded to 19 digits so claims sort by token;
     * the random suffix breaks ties between claims made at the same instant.
     */
    public static String maintenanceClaim(long token, String randomHex) {
        if (token < 0) {
            throw new IllegalArgumentException("fencing token must not be negative");
        }
        return MAINTENANCE_CLAIMS + String.format("%019d", token) + "-" + randomHex;
    }

    /** The fencing token a claim key carries, or -1 if the key is not a well-formed claim key. */
    public static long tokenOfClaim(String key) {
        if (!key.startsWith(MAINTENANCE_CLAIMS) || key.length() < MAINTENANCE_CLAIMS.length() + 21) {
            return -1;
        }
        String digits = key.substring(MAINTENANCE_CLAIMS.length(), MAINTENANCE_CLAIMS.length() + 19);
        if (!digits.chars().allMatch(Character::isDigit) || key.charAt(MAINTENANCE_CLAIMS.length() + 19) != '-') {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A legal hold: {@code holds/<id>} (the id is checked by {@code Hold}). */
    public static String hold(String id) {
        return HOLDS + id;
    }

    /** A backup session's marker. */
    public static String backupSession(String randomHex) {
        return BACKUP_SESSIONS + randomHex;
    }

    /**
     * Everything of one database cluster's WAL archive (section 16): {@code wal/<cluster>/}.
     * Cluster names are 1 to 64 of {@code [A-Za-z0-9._-]}, not starting with a dot.
     */
    public static String walCluster(String cluster) {
        if (cluster == null || !cluster.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("invalid cluster name '" + cluster
                + "': use 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'");
        }
        return WAL + cluster + "/";
    }

    /**
     * A complete WAL segment or backup-history file of timeline {@code tli}:
     * {@code wal/<cluster>/<tli 8 hex>/<file name>}.
     */
    public static String walSegment(String cluster, int timeline, String fileName) {
        return walCluster(cluster) + String.format("%08X", timeline) + "/" + fileName;
    }

    /** The in-progress copy of a segment: {@code wal/<cluster>/<tli 8 hex>/<segment>.partial}. */
    public static String walPartial(String cluster, int timeline, String segment) {
        return walSegment(cluster, timeline, segment) + ".partial";
    }

    /** A timeline history file: {@code wal/<cluster>/history/<tli 8 hex>.history}. */
    public static String walHistory(String cluster, int timeline) {
        return walCluster(cluster) + "history/" + String.format("%08X", timeline) + ".history";
    }

    /** The WAL streamer's status: {@code wal/<cluster>/status}. */
    public static String walStatus(String cluster) {
        return walCluster(cluster) + "status";
    }

    /** The last segment of {@code key} after {@code prefix}. */
    public static String nameOf(String prefix, String key) {
        return key.startsWith(prefix) ? key.substring(prefix.length()) : key;
    }
}
