package io.ruvector.compose.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The API's error body, {@code {"error": "<code>", "detail": "<message>"}}, and the translation
 * of Jackson's parse and binding failures into 400s that name the offending field.
 */
final class JsonErrors {

    /** The error body; {@code error} is a short stable code, {@code detail} is for people. */
    record ErrorBody(String error, String detail) {
    }

    private JsonErrors() {
    }

    static ErrorBody body(ApiException e) {
        return new ErrorBody(e.code(), e.detail());
    }

    /** A 400 for a body Jackson could not read: bad JSON, an unknown field or a field of the wrong type. */
    static ApiException fromJackson(JacksonException e) {
        return switch (e) {
            case UnrecognizedPropertyException u -> ApiException.badRequest("unknown_field",
                    "unknown field '" + path(u) + "'" + known(u.getKnownPropertyIds()));
            case MismatchedInputException m when m.getPath().isEmpty() && m.getOriginalMessage().startsWith("No content") ->
                    ApiException.badRequest("invalid_json", "request body is empty; send a JSON object");
            case MismatchedInputException m when m.getPath().isEmpty() ->
                    ApiException.badRequest("invalid_json", "request body must be a JSON object: " + firstLine(m));
            case JsonMappingException m when m.getCause() instanceof StreamReadException r ->
                    ApiException.badRequest("invalid_json", "malformed JSON" + at(r.getLocation()) + ": " + firstLine(r));
            case JsonMappingException m -> ApiException.badRequest("invalid_field",
                    "field '" + path(m) + "' has the wrong type or value: " + firstLine(m));
            case StreamReadException r -> ApiException.badRequest("invalid_json",
                    "malformed JSON" + at(r.getLocation()) + ": " + firstLine(r));
            default -> ApiException.badRequest("invalid_json", "malformed JSON: " + firstLine(e));
        };
    }

    /** {@code index.m}, {@code vector[3]}: the JSON path Jackson was at. */
    static String path(JsonMappingException e) {
        StringBuilder s = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!s.isEmpty()) {
                    s.append('.');
                }
                s.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                s.append('[').append(ref.getIndex()).append(']');
            }
        }
        return s.isEmpty() ? "(body)" : s.toString();
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "";
        }
        List<String> names = new TreeSet<>(ids.stream().map(String::valueOf).toList()).stream().toList();
        return "; known fields: " + String.join(", ", names);
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(JacksonException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
