package io.lifeboat.common.repository;

import io.lifeboat.common.crypto.HmacSha256;
import io.lifeboat.common.crypto.Sha256;
import io.lifeboat.common.format.Json;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.format.SealedEnvelope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * Snapshot manifests (format section 10): signed, sealed JSON of a {@link SnapshotSpec} and its
 * commit time. The id is SHA-256 of the stored object and is checked on every read.
 */
final class ManifestCodec {
    /** The stored body. */
    record ManifestJson(int version, String sourceType, String root, String hostname, String username, List<String> paths,
            List<String> tags, String parent, Instant startTime, Instant time, Map<String, Long> summary,
            Map<String, String> labels) {
    }

    /** An encoded manifest and its id. */
    record Encoded(SnapshotId id, byte[] bytes, Snapshot snapshot) {
    }

    private ManifestCodec() {
    }

    static Encoded encode(SnapshotSpec spec, Instant time, SecretKey metadataKey, HmacSha256 signer) {
        ManifestJson json = new ManifestJson(FormatVersion.CURRENT, spec.sourceType(), spec.root().hex(), spec.hostname(),
            spec.username(), spec.paths(), spec.tags(), spec.parent() == null ? null : spec.parent().hex(), spec.startTime(),
            time, spec.summary(), spec.labels());
        byte[] bytes = SealedEnvelope.sealSigned(Magic.SNAPSHOT, metadataKey, signer, Json.write(json));
        SnapshotId id = SnapshotId.of(Sha256.hash(bytes));
        return new Encoded(id, bytes, new Snapshot(id, spec, time));
    }

    static Snapshot decode(SnapshotId id, byte[] bytes, SecretKey metadataKey, HmacSha256 signer) {
        String object = "snapshot " + id.hex();
        if (!id.equals(SnapshotId.of(Sha256.hash(bytes)))) {
            throw new CorruptObjectException(object + " is corrupt: content does not match its id");
        }
        byte[] body = SealedEnvelope.openSigned(Magic.SNAPSHOT, metadataKey, signer, bytes, object);
        ManifestJson j = Json.read(body, ManifestJson.class, object);
        FormatVersion.check(j.version(), object);
        try {
            SnapshotSpec spec = new SnapshotSpec(j.sourceType(), BlobId.parse(j.root()), j.hostname(), j.username(), j.paths(),
                j.tags(), j.parent() == null ? null : new SnapshotId(j.parent()), j.startTime(), j.summary(), j.labels());
            if (j.time() == null) {
                throw new IllegalArgumentException("time");
            }
            return new Snapshot(id, spec, j.time());
        } catch (RuntimeException e) {
            throw new CorruptObjectException(object + " is corrupt: malformed content");
        }
    }
}
