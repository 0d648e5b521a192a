package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /ui}: the operator's page (collections, λ and state over time, witness edges, gates,
 * healing), plain HTML + JS served from the jar; it reads the same API as everyone else.
 */
final class UiHandler {

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "ui.js", "text/javascript; charset=utf-8",
            "ui.css", "text/css; charset=utf-8");

    private final Map<String, String> files;

    UiHandler() {
        files = TYPES.keySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(f -> f, UiHandler::load));
    }

    /** @param rest the path after {@code /ui}: empty for the page */
    void get(HttpExchange exchange, List<String> rest) throws IOException {
        String file = rest.isEmpty() ? "index.html" : rest.size() == 1 ? rest.getFirst() : null;
        if (file == null || !files.containsKey(file)) {
            throw ApiException.notFound("not_found", "no such file of the page: /ui/" + String.join("/", rest));
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        Exchanges.sendText(exchange, 200, TYPES.get(file), files.get(file));
    }

    private static String load(String file) {
        try (InputStream in = UiHandler.class.getResourceAsStream("/ui/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks /ui/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
