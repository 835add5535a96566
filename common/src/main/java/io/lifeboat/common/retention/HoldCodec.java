package io.lifeboat.common.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.common.repository.CorruptObjectException;
import io.lifeboat.common.repository.UnsupportedFormatException;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The JSON form of a {@link Hold}, the content of the repository object {@code holds/<id>}
 * (UTF-8, one object, fields in this order):
 *
 * <pre>{@code
 * {"version":1,"id":"LEGAL-42","reason":"case 42","createdBy":"alice",
 *  "createdAt":"2026-03-04T10:15:30Z","target":{"type":"tag","value":"finance"},
 *  "expiresAt":null}
 * }</pre>
 *
 * <p>{@code target.type} is {@code snapshot} (value: the full snapshot id) or {@code tag};
 * {@code expiresAt} is an ISO-8601 instant or null. Unknown fields are ignored (a later version
 * may add optional ones); a {@code version} other than 1 is refused. Stateless and thread-safe.
 */
public final class HoldCodec {
    /** The format version this build writes and reads. */
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private HoldCodec() {
    }

    public static byte[] encode(Hold hold) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("version", VERSION);
        n.put("id", hold.id());
        n.put("reason", hold.reason());
        n.put("createdBy", hold.createdBy());
        n.put("createdAt", hold.createdAt().toString());
        ObjectNode t = n.putObject("target");
        switch (hold.target()) {
            case HoldTarget.OnSnapshot s -> {
                t.put("type", "snapshot");
                t.put("value", s.snapshotId());
            }
            case HoldTarget.OnTag g -> {
                t.put("type", "tag");
                t.put("value", g.tag());
            }
        }
        if (hold.expiresAt() == null) {
            n.putNull("expiresAt");
        } else {
            n.put("expiresAt", hold.expiresAt().toString());
        }
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise hold " + hold.id(), e);
        }
    }

    /**
     * Decodes the object stored under {@code holds/<expectedId>}.
     *
     * @throws CorruptObjectException when the content is not a valid hold or names another id;
     *     the message names the object and the failing field, never echoes the content
     * @throws UnsupportedFormatException when the version is not {@value #VERSION}
     */
    public static Hold decode(byte[] json, String expectedId) {
        String object = "holds/" + expectedId;
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new CorruptObjectException(object + " is corrupt: malformed JSON");
        }
        if (n == null || !n.isObject()) {
            throw new CorruptObjectException(object + " is corrupt: not a JSON object");
        }
        JsonNode version = n.get("version");
        if (version == null || !version.isInt()) {
            throw new CorruptObjectException(object + " is corrupt: no version");
        }
        if (version.intValue() != VERSION) {
            throw new UnsupportedFormatException(object + " has hold format version " + version.intValue()
                + "; this build reads version " + VERSION);
        }
        String id = text(n, "id", object, false);
        if (!id.equals(expectedId)) {
            throw new CorruptObjectException(object + " is corrupt: it names a different hold");
        }
        String reason = text(n, "reason", object, false);
        String createdBy = text(n, "createdBy", object, false);
        Instant createdAt = instant(text(n, "createdAt", object, false), "createdAt", object);
        JsonNode t = n.get("target");
        if (t == null || !t.isObject()) {
            throw new CorruptObjectException(object + " is corrupt: no target");
        }
        String type = text(t, "type", object, false);
        String value = text(t, "value", object, false);
        String expires = text(n, "expiresAt", object, true);
        try {
            HoldTarget target = switch (type) {
                case "snapshot" -> new HoldTarget.OnSnapshot(value);
                case "tag" -> new HoldTarget.OnTag(value);
                default -> throw new CorruptObjectException(object + " is corrupt: unknown target type");
            };
            return new Hold(id, reason, createdBy, createdAt, target,
                expires == null ? null : instant(expires, "expiresAt", object));
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException(object + " is corrupt: " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field, String object, boolean nullable) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (nullable) {
                return null;
            }
            throw new CorruptObjectException(object + " is corrupt: no " + field);
        }
        if (!v.isTextual()) {
            throw new CorruptObjectException(object + " is corrupt: " + field + " is not a string");
        }
        return v.textValue();
    }

    private static Instant instant(String s, String field, String object) {
        try {
            return Instant.parse(s);
        } catch (DateTimeException e) {
            throw new CorruptObjectException(object + " is corrupt: " + field + " is not an ISO-8601 instant");
        }
    }
}
