package io.lifeboat.common.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.common.chunk.ChunkerParams;
import io.lifeboat.common.format.Json;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.format.SealedEnvelope;
import io.lifeboat.common.keys.MasterKeys;
import io.lifeboat.common.store.ObjectLockMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Object Lock parts of the format (sections 6 and 16): the config field and retention records, malformed input included. */
class ObjectLockFormatTest {
    private final MasterKeys keys = MasterKeys.derive(new byte[32]);
    private final MaintenanceRecords records = new MaintenanceRecords(keys);
    private static final Instant T = Instant.parse("2026-11-23T00:00:00Z");

    private static RepositoryConfig config(ObjectLockSettings lock) {
        return new RepositoryConfig(1, "ab".repeat(32), T, ChunkerParams.defaults(), "hmac-sha256", "zstd", 3, "hkdf-sha256",
            16L << 20, lock);
    }

    @Test
    void aConfigWithoutObjectLockIsWrittenExactlyAsBefore() {
        String json = new String(Json.write(config(null)), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("objectLock").endsWith("\"packSizeTarget\":16777216}");
    }

    @Test
    void theSettingRoundTripsThroughTheSealedConfig() {
        ObjectLockSettings lock = ObjectLockSettings.of(ObjectLockMode.GOVERNANCE, Duration.ofDays(30));
        String json = new String(Json.write(config(lock)), StandardCharsets.UTF_8);
        assertThat(json).endsWith("\"objectLock\":{\"mode\":\"GOVERNANCE\",\"retentionSeconds\":2592000}}");
        RepositoryConfig back = RepositoryConfig.open(config(lock).seal(keys.metadataKey()), keys.metadataKey());
        assertThat(back.objectLock()).isEqualTo(lock);
        assertThat(back.objectLock().extensionSlack()).isEqualTo(Duration.ofDays(3));
        assertThat(ObjectLockSettings.of(ObjectLockMode.COMPLIANCE, Duration.ofDays(3650)).extensionSlack()).isEqualTo(Duration.ofDays(7));
        assertThat(lock.describe()).isEqualTo("GOVERNANCE, 30 days");
    }

    @Test
    void anUnknownModeIsUnsupportedAndNonsenseIsCorrupt() {
        assertThatThrownBy(() -> config(new ObjectLockSettings("LEGAL_HOLD", 60)).validate())
            .isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("unknown object lock mode 'LEGAL_HOLD'");
        assertThatThrownBy(() -> config(new ObjectLockSettings("compliance", 60)).validate()).isInstanceOf(UnsupportedFormatException.class);
        assertThatThrownBy(() -> config(new ObjectLockSettings(null, 60)).validate()).isInstanceOf(CorruptObjectException.class);
        assertThatThrownBy(() -> config(new ObjectLockSettings("COMPLIANCE", 0)).validate()).isInstanceOf(CorruptObjectException.class);
        assertThatThrownBy(() -> config(new ObjectLockSettings("COMPLIANCE", -5)).validate()).isInstanceOf(CorruptObjectException.class);
        assertThatThrownBy(() -> config(new ObjectLockSettings("COMPLIANCE", ObjectLockSettings.MAX_SECONDS + 1)).validate())
            .isInstanceOf(CorruptObjectException.class);
        String plain = new String(Json.write(config(null)), StandardCharsets.UTF_8);
        String withUnknownMode = plain.substring(0, plain.length() - 1) + ",\"objectLock\":{\"mode\":\"X\",\"retentionSeconds\":1}}";
        byte[] sealed = SealedEnvelope.seal(Magic.CONFIG, keys.metadataKey(), withUnknownMode.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> RepositoryConfig.open(sealed, keys.metadataKey())).isInstanceOf(UnsupportedFormatException.class);
    }

    @Test
    void aRetentionRecordRoundTrips() {
        Map<String, Instant> objects = Map.of("data/ab/" + "ab".repeat(32), T.plusSeconds(60), "config", T.plusSeconds(90));
        byte[] b = records.encodeRetention(objects, T);
        assertThat(records.decodeRetention(b, "retention/x")).isEqualTo(objects);
    }

    @Test
    void malformedRetentionRecordsAreCorruptNeverTrusted() {
        byte[] good = records.encodeRetention(Map.of("config", T), T);
        Random random = new Random(16);
        for (int i = 0; i < 200; i++) {
            byte[] bad = good.clone();
            int pos = random.nextInt(bad.length);
            bad[pos] ^= (byte) (1 << random.nextInt(8));
            assertThatThrownBy(() -> records.decodeRetention(bad, "retention/x")).as("bit flip at " + pos)
                .isInstanceOf(RepositoryException.class);
        }
        for (int len : new int[] {0, 1, 4, 20, good.length - 1}) {
            assertThatThrownBy(() -> records.decodeRetention(Arrays.copyOf(good, len), "retention/x"))
                .isInstanceOf(CorruptObjectException.class);
        }
        // Another signed record (a backup-session marker) is not a retention record.
        byte[] other = records.encode(new MaintenanceRecords.BackupSession("a", T, T));
        assertThatThrownBy(() -> records.decodeRetention(other, "retention/x")).isInstanceOf(CorruptObjectException.class);
        // Under another repository's keys it does not verify.
        MaintenanceRecords foreign = new MaintenanceRecords(MasterKeys.derive(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
            17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}));
        assertThatThrownBy(() -> foreign.decodeRetention(good, "retention/x")).isInstanceOf(CorruptObjectException.class);
    }

    @Test
    void aNewerRecordVersionIsUnsupportedAndMissingFieldsAreCorrupt() {
        byte[] newer = SealedEnvelope.sealSigned(Magic.RETENTION_RECORD, keys.metadataKey(), keys.signer(),
            "{\"version\":99,\"written\":\"2026-11-23T00:00:00Z\",\"objects\":{}}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> records.decodeRetention(newer, "retention/x")).isInstanceOf(UnsupportedFormatException.class);
        byte[] missing = SealedEnvelope.sealSigned(Magic.RETENTION_RECORD, keys.metadataKey(), keys.signer(),
            "{\"version\":1,\"written\":\"2026-11-23T00:00:00Z\",\"objects\":{\"config\":null}}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> records.decodeRetention(missing, "retention/x")).isInstanceOf(CorruptObjectException.class);
        byte[] noMap = SealedEnvelope.sealSigned(Magic.RETENTION_RECORD, keys.metadataKey(), keys.signer(),
            "{\"version\":1,\"written\":\"2026-11-23T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> records.decodeRetention(noMap, "retention/x")).isInstanceOf(CorruptObjectException.class);
    }
}
