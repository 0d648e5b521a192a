package io.ruvector.compose.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/**
 * A query vector as the request gave it: parsed from the JSON array straight into a
 * {@code float[]} (no tree of 784 number nodes per request), or decoded from
 * {@code vector_base64}. A malformed vector does not fail the bind: it carries the 400 that
 * {@link #require} throws once the body is checked, so that the message names the element at
 * fault. Syntax errors (e.g. a bare {@code NaN}) stay Jackson's, an {@code invalid_json}.
 */
@JsonDeserialize(using = QueryVector.Parser.class)
record QueryVector(float[] values, ApiException problem) {

    /** The components, or the 400 this vector deserves; checks the collection's dimensions. */
    float[] require(int dimensions, String field) {
        if (problem != null) {
            throw problem;
        }
        if (dimensions > 0 && values.length != dimensions) {
            throw ApiException.badRequest("dimension_mismatch", field + " has " + values.length
                    + " dimensions; the collection has " + dimensions);
        }
        return values;
    }

    /**
     * {@code vector_base64}: the vector's float32 components in little-endian byte order, base64
     * (RFC 4648, with or without padding) — 4 bytes per dimension instead of ~10 characters.
     */
    static QueryVector fromBase64(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return invalid("vector_base64 is not base64: " + e.getMessage());
        }
        if (bytes.length == 0 || bytes.length % Float.BYTES != 0) {
            return invalid("vector_base64 decodes to " + bytes.length + " bytes; want 4 bytes (little-endian float32) "
                    + "per dimension, at least one");
        }
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return invalid("vector_base64 component " + i + " is " + values[i] + "; every component must be finite");
            }
        }
        return new QueryVector(values, null);
    }

    private static QueryVector invalid(String detail) {
        return new QueryVector(null, ApiException.badRequest("invalid_vector", detail));
    }

    /** Streams the JSON array into floats; anything else becomes the vector's problem. */
    static final class Parser extends JsonDeserializer<QueryVector> {

        @Override
        public QueryVector deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                String type = typeOf(p.currentToken());
                p.skipChildren();
                return invalid("vector must be an array of numbers, got " + type);
            }
            float[] values = new float[64];
            int n = 0;
            ApiException problem = null;
            for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
                if (problem == null) {
                    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                        float value = p.getFloatValue();
                        if (!Float.isFinite(value)) {
                            problem = ApiException.badRequest("invalid_vector", "vector[" + n + "] = " + p.getText()
                                    + " is outside the float32 range");
                        }
                        if (n == values.length) {
                            values = Arrays.copyOf(values, n * 2);
                        }
                        values[n] = value;
                    } else {
                        problem = ApiException.badRequest("invalid_vector", "vector[" + n + "] is " + typeOf(token)
                                + (token == JsonToken.VALUE_STRING ? " '" + SearchParser.abbreviate(p.getText()) + "'" : "")
                                + "; every component must be a finite JSON number (no NaN or Infinity)");
                    }
                }
                p.skipChildren(); // a nested array or object: its end token, so the loop stays in step
                n++;
            }
            if (problem == null && n == 0) {
                problem = ApiException.badRequest("invalid_vector", "vector must not be empty");
            }
            return new QueryVector(problem == null ? Arrays.copyOf(values, n) : null, problem);
        }

        /** An explicit {@code null}: as if absent. */
        @Override
        public QueryVector getNullValue(DeserializationContext context) {
            return null;
        }

        private static String typeOf(JsonToken token) {
            return switch (token) {
                case START_ARRAY -> "ARRAY";
                case START_OBJECT -> "OBJECT";
                case VALUE_STRING -> "STRING";
                case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
                case VALUE_NULL -> "NULL";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
                default -> token.name();
            };
        }
    }
}
