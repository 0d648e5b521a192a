package io.ruvector.healing.engine.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON serde of the engine's own store values (records). They never leave the engine's stores
 * and changelogs, so they need no schema in the registry; unknown fields are ignored so that a
 * newer record still reads an older value after an upgrade.
 */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JsonCodec() {
    }

    public static <T> Serde<T> serde(Class<T> type) {
        Serializer<T> ser = (topic, value) -> value == null ? null : write(value);
        Deserializer<T> de = (topic, bytes) -> bytes == null ? null : read(bytes, type);
        return Serdes.serdeFrom(ser, de);
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + type.getSimpleName(), e);
        }
    }
}
