package io.lifeboat.common.format;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.lifeboat.common.repository.CorruptObjectException;
import java.io.IOException;

/**
 * The one JSON mapper of the format: ISO-8601 instants, map keys sorted, unknown properties
 * ignored (later versions may add optional fields), every parse failure a
 * {@link CorruptObjectException} naming the object.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
        .build();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type, String object) {
        try {
            T v = MAPPER.readValue(json, type);
            if (v == null) {
                throw new CorruptObjectException(object + " is corrupt: empty document");
            }
            return v;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptObjectException c) {
                throw c;
            }
            if (e instanceof io.lifeboat.common.repository.UnsupportedFormatException u) {
                throw u;
            }
            throw new CorruptObjectException(object + " is corrupt: malformed content");
        }
    }
}
