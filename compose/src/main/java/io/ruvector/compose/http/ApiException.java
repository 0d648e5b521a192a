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

    ApiException(int status, String code, String detail) {
        this(status, code, detail, null);
    }

    ApiException(int status, String code, String detail, Throwable cause) {
        super(Objects.requireNonNull(detail, "detail"), cause, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
    }

    static ApiException badRequest(String code, String detail) {
        return new ApiException(400, code, detail);
    }

    static ApiException notFound(String code, String detail) {
        return new ApiException(404, code, detail);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String detail() {
        return getMessage();
    }
}
