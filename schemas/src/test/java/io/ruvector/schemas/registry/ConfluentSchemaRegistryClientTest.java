package io.ruvector.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.serde.AvroSerde;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against an in-test double of the two Confluent REST endpoints (the real registry is a
 * third-party service that cannot be installed here).
 */
class ConfluentSchemaRegistryClientTest {

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Integer> idBySchemaText = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemaTextById = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI url;

    @BeforeEach
    void startRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stopRegistry() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        requests.add(method + " " + path);
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        if (method.equals("POST") && path.matches("/subjects/[^/]+/versions")) {
            if (!"application/vnd.schemaregistry.v1+json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                respond(exchange, 415, Map.of("error_code", 415, "message", "wrong content type"));
            } else if (path.contains("incompatible")) {
                respond(exchange, 409, Map.of("error_code", 409,
                        "message", "Schema being registered is incompatible with an earlier schema"));
            } else {
                String schema = json.readTree(exchange.getRequestBody()).get("schema").asText();
                int id = idBySchemaText.computeIfAbsent(schema, s -> 100 + idBySchemaText.size());
                schemaTextById.put(id, schema);
                respond(exchange, 200, Map.of("id", id));
            }
        } else if (method.equals("GET") && path.startsWith("/schemas/ids/")) {
            String schema = schemaTextById.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
            if (schema == null) {
                respond(exchange, 404, Map.of("error_code", 40403, "message", "Schema not found"));
            } else {
                respond(exchange, 200, Map.of("schema", schema));
            }
        } else {
            respond(exchange, 404, Map.of("error_code", 404, "message", "HTTP 404 Not Found"));
        }
    }

    private void respond(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private ConfluentSchemaRegistryClient client(String userInfo) {
        return new ConfluentSchemaRegistryClient(url, userInfo, Duration.ofSeconds(5));
    }

    @Test
    void shouldRegisterOnceAndCacheWhenSameSubjectAndSchemaRepeat() {
        ConfluentSchemaRegistryClient client = client(null);

        int first = client.register("ruvector.vectors-value", VectorChange.getClassSchema());
        int again = client.register("ruvector.vectors-value", VectorChange.getClassSchema());

        assertThat(first).isEqualTo(100).isEqualTo(again);
        assertThat(requests).containsExactly("POST /subjects/ruvector.vectors-value/versions");
        assertThat(client.schemaById(100)).isEqualTo(VectorChange.getClassSchema());
        assertThat(requests).hasSize(1);
    }

    @Test
    void shouldFetchAndCacheSchemaWhenIdWasRegisteredElsewhere() {
        client(null).register("w-value", Watermark.getClassSchema());
        ConfluentSchemaRegistryClient reader = client(null);

        assertThat(reader.schemaById(100).getFullName()).isEqualTo("io.ruvector.schemas.Watermark");
        assertThat(reader.schemaById(100).getField("lsn")).isNotNull();
        assertThat(requests).containsExactly("POST /subjects/w-value/versions", "GET /schemas/ids/100");
    }

    @Test
    void shouldNameUrlStatusAndMessageWhenRegistryRefuses() {
        ConfluentSchemaRegistryClient client = client(null);

        assertThatThrownBy(() -> client.register("incompatible-value", Watermark.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("POST " + url + "subjects/incompatible-value/versions")
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("Schema being registered is incompatible with an earlier schema");
    }

    @Test
    void shouldNameUrlStatusAndMessageWhenIdIsUnknown() {
        assertThatThrownBy(() -> client(null).schemaById(7))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("GET " + url + "schemas/ids/7")
                .hasMessageContaining("HTTP 404 (error_code 40403): Schema not found");
    }

    @Test
    void shouldSendBasicAuthWhenUserInfoIsConfigured() {
        client("alice:s3cret").register("a-value", Watermark.getClassSchema());

        assertThat(authorizations).containsExactly("Basic YWxpY2U6czNjcmV0");
    }

    @Test
    void shouldEscapeSubjectWhenItHasReservedCharacters() {
        client(null).register("my topic/x-value", Watermark.getClassSchema());

        assertThat(requests).containsExactly("POST /subjects/my%20topic%2Fx-value/versions");
    }

    @Test
    void shouldRoundTripThroughSerdeWhenIdsComeFromRegistry() {
        ConfluentSchemaRegistryClient client = client(null);
        AvroSerde<Watermark> serde = AvroSerde.forValues(client, Watermark.class);
        Watermark mark = Watermark.newBuilder().setLsn(1).setSource("s").setEmittedAtMillis(2).build();

        byte[] bytes = serde.serialize("w", mark);

        assertThat(bytes).startsWith(0, 0, 0, 0, 100);
        assertThat(AvroSerde.forValues(client(null), Watermark.class).deserialize("w", bytes)).isEqualTo(mark);
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("s");
    }

    @Test
    void shouldNameUrlWhenRegistryIsUnreachable() {
        server.stop(0);
        ConfluentSchemaRegistryClient client = new ConfluentSchemaRegistryClient(url, null, Duration.ofSeconds(2));

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("GET " + url + "schemas/ids/1 failed");
    }
}
