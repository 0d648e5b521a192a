package io.ruvector.compose.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * JSON in and out of an exchange. The mapper is strict: unknown fields, trailing tokens, floats
 * for integers and strings for numbers are all 400s, so a typo never silently changes a query.
 * Record components map to snake_case JSON names ({@code idColumn} is {@code id_column}).
 */
final class Exchanges {

    static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** The most of an unread request body an answer reads and drops to keep its connection open. */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    /** A refused body is read and dropped up to this many times the limit before the 413. */
    private static final long SWALLOW_FACTOR = 4;

    private Exchanges() {
    }

    /**
     * Reads and binds the body; a body over {@code maxBytes} is a 413, JSON that does not bind a
     * 400 naming the field, an absent or {@code null} body a 400.
     */
    static <T> T readBody(HttpExchange exchange, Class<T> type, long maxBytes) throws IOException {
        return bind(readBytes(exchange, maxBytes), type);
    }

    /** The raw body, at most {@code maxBytes} (else a 413). */
    static byte[] readBytes(HttpExchange exchange, long maxBytes) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        // Read to its end, not closed: the answer's close ends the exchange, and its drain finds nothing left.
        InputStream in = exchange.getRequestBody();
        if (length != null && parseLength(length) > maxBytes) {
            throw refuse(exchange, in, maxBytes);
        }
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            throw refuse(exchange, in, maxBytes);
        }
        return body;
    }

    /**
     * Reads what a handler left of the request body (one answered before reading it, a 404 or a
     * 503), so that the connection can carry the next request: Jetty closes a connection whose
     * request it could not read to the end, and a client that reuses it at that moment gets no
     * answer at all. Beyond {@link #DRAIN_LIMIT} bytes the connection is closed instead.
     */
    private static void drainUnread(HttpExchange exchange) {
        if ("close".equals(exchange.getResponseHeaders().getFirst("Connection"))) {
            return; // a refused body (413): the connection ends with this answer, nothing to keep
        }
        try {
            InputStream in = exchange.getRequestBody();
            if (in.read() < 0) {
                return; // the common case: read to its end already, or no body
            }
            byte[] sink = new byte[8 * 1024];
            long left = DRAIN_LIMIT - 1;
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
            if (left <= 0 && in.read() >= 0) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
        } catch (IOException e) { // the client stopped sending: this connection carries nothing more
            exchange.getResponseHeaders().set("Connection", "close");
        }
    }

    /** Sends {@code bytes} with {@code status} and {@code contentType}, and closes the exchange. */
    static void sendBytes(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
        drainUnread(exchange);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * A 413 the client can read: the rest of the body is read and dropped (up to
     * {@link #SWALLOW_FACTOR} times the limit) before the answer, because closing a socket that
     * still has unread input resets it and the client, still sending, never sees the 413.
     */
    private static ApiException refuse(HttpExchange exchange, InputStream in, long maxBytes) throws IOException {
        long swallow = Math.min(maxBytes, Long.MAX_VALUE / SWALLOW_FACTOR) * SWALLOW_FACTOR;
        byte[] sink = new byte[64 * 1024];
        long dropped = 0;
        for (int n; dropped < swallow && (n = in.read(sink, 0, (int) Math.min(sink.length, swallow - dropped))) > 0; ) {
            dropped += n;
        }
        exchange.getResponseHeaders().set("Connection", "close");
        return tooLarge(maxBytes);
    }

    /** Binds {@code body} strictly: JSON that does not bind is a 400 naming the field, {@code null} a 400. */
    static <T> T bind(byte[] body, Class<T> type) {
        T value;
        try {
            value = JSON.readValue(body, type);
        } catch (JacksonException e) {
            throw JsonErrors.fromJackson(e);
        } catch (IOException e) { // reading a byte array: only Jackson's own exceptions can occur
            throw new java.io.UncheckedIOException(e);
        }
        if (value == null) {
            throw ApiException.badRequest("invalid_json", "request body must be a JSON object, got null");
        }
        return value;
    }

    /** Sends {@code body} as JSON with {@code status} and closes the exchange. */
    static void send(HttpExchange exchange, int status, Object body) throws IOException {
        sendBytes(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
    }

    /** Sends {@code text} with {@code contentType} and closes the exchange. */
    static void sendText(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        sendBytes(exchange, status, contentType, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static void sendError(HttpExchange exchange, ApiException error) throws IOException {
        if (error.allow() != null) {
            exchange.getResponseHeaders().set("Allow", error.allow());
        }
        if (error.retryAfterSeconds() != null) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(error.retryAfterSeconds()));
        }
        send(exchange, error.status(), JsonErrors.body(error));
    }

    private static long parseLength(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_request", "Content-Length '" + text + "' is not a number");
        }
    }

    private static ApiException tooLarge(long maxBytes) {
        return new ApiException(413, "body_too_large", "request body exceeds the limit of " + maxBytes + " bytes");
    }
}
