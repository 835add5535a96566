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
    /** Reserved for the maintenance lease. */
    public static final String LOCKS = "locks/";
    /** Reserved for job markers. */
    public static final String JOBS = "jobs/";
    /** Reserved for prune candidates of the two-phase prune. */
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

    public static String walSegment(String cluster, String name) {
        return WAL + cluster + "/" + name;
    }

    /** The last segment of {@code key} after {@code prefix}. */
    public static String nameOf(String prefix, String key) {
        return key.startsWith(prefix) ? key.substring(prefix.length()) : key;
    }
}
