package io.ruvector.compose.http;

import java.util.Objects;

/**
 * A request the API answers with an error: the HTTP status, a short stable code clients can
 * switch on, and a user-facing detail naming the field or thing at fault. Thrown by handlers,
 * turned into {@code {"error": code, "detail": detail}} by {@link JsonErrors}.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String allow;
    private Integer retryAfterSeconds;

    ApiException(int status, String code, String detail) {
        this(status, code, detail, null);
    }

    ApiException(int status, String code, String detail, Throwable cause) {
        this(status, code, detail, cause, null);
    }

    private ApiException(int status, String code, String detail, Throwable cause, String allow) {
        super(Objects.requireNonNull(detail, "detail"), cause, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.allow = allow;
    }

    /** A 405 carrying the methods for the {@code Allow} header. */
    static ApiException methodNotAllowed(String method, String allowed) {
        return new ApiException(405, "method_not_allowed", "method " + method + " is not allowed here; use " + allowed,
                null, allowed);
    }

    static ApiException badRequest(String code, String detail) {
        return new ApiException(400, code, detail);
    }

    static ApiException notFound(String code, String detail) {
        return new ApiException(404, code, detail);
    }

    /** A 503 naming the part of this instance that is still starting; the client retries after a second. */
    static ApiException starting(io.ruvector.compose.runtime.PartStarting e) {
        return new ApiException(503, "starting", e.getMessage(), e).retryAfter(1);
    }

    /** Sets the {@code Retry-After} header (seconds) of a 429 or 503; returns this. */
    ApiException retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** Seconds for the {@code Retry-After} header, else null. */
    Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The {@code Allow} header of a 405, else null. */
    String allow() {
        return allow;
    }

    String detail() {
        return getMessage();
    }
}
