package io.lifeboat.common.repository;

import io.lifeboat.common.crypto.HmacSha256;
import io.lifeboat.common.format.Json;
import io.lifeboat.common.format.Magic;
import io.lifeboat.common.format.SealedEnvelope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;

/** Journal entries (format section 11): signed, sealed JSON of a {@link JournalEntry}. */
final class JournalCodec {
    record JournalJson(int version, String action, String actor, Instant time, List<String> objects, Map<String, String> details) {
    }

    private JournalCodec() {
    }

    static byte[] encode(JournalEntry e, SecretKey metadataKey, HmacSha256 signer) {
        return SealedEnvelope.sealSigned(Magic.JOURNAL, metadataKey, signer,
            Json.write(new JournalJson(FormatVersion.CURRENT, e.action(), e.actor(), e.time(), e.objects(), e.details())));
    }

    static JournalEntry decode(byte[] bytes, SecretKey metadataKey, HmacSha256 signer, String object) {
        JournalJson j = Json.read(SealedEnvelope.openSigned(Magic.JOURNAL, metadataKey, signer, bytes, object), JournalJson.class, object);
        FormatVersion.check(j.version(), object);
        if (j.action() == null || j.time() == null) {
            throw new CorruptObjectException(object + " is corrupt: required field missing");
        }
        return new JournalEntry(j.action(), j.actor(), j.time(), j.objects(), j.details());
    }
}
