package io.ruvector.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A small client of the Confluent Schema Registry REST API: the two calls a serde needs.
 *
 * <ul>
 *   <li>{@code POST /subjects/{subject}/versions} with {@code {"schema": "<json>"}} → {@code {"id": n}}
 *       (idempotent on the registry side: the same schema gets the same id);</li>
 *   <li>{@code GET /schemas/ids/{id}} → {@code {"schema": "<json>"}}.</li>
 * </ul>
 *
 * <p>Why our own and not Confluent's client: theirs is not on Maven Central and pulls a large
 * tree; these two calls over {@code java.net.http} and Jackson are all we use. Both directions
 * are cached forever (ids are immutable), so the registry sees one request per subject/schema
 * and per id. Errors name the URL, the HTTP status and the registry's {@code message}.
 * Thread-safe.
 */
public final class ConfluentSchemaRegistryClient implements SchemaRegistry {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final String baseUrl;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    /**
     * @param baseUrl registry root, e.g. {@code http://registry:8081}
     * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or null for none
     * @param timeout connect and per-request timeout
     */
    public ConfluentSchemaRegistryClient(URI baseUrl, String basicAuthUserInfo, Duration timeout) {
        String url = Objects.requireNonNull(baseUrl, "baseUrl").toString();
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.authorization = basicAuthUserInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8));
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(Objects.requireNonNull(subject, "subject"),
                Objects.requireNonNull(schema, "schema"));
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        String body;
        try {
            body = json.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new SchemaRegistryException("cannot encode schema " + schema.getFullName() + " as JSON", e);
        }
        URI uri = URI.create(baseUrl + "/subjects/" + encode(subject) + "/versions");
        JsonNode response = send(request(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        JsonNode id = response.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException("schema registry POST " + uri + " answered without an int 'id': " + response);
        }
        schemas.putIfAbsent(id.intValue(), schema);
        ids.putIfAbsent(key, id.intValue());
        return id.intValue();
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemas.get(id);
        if (cached != null) {
            return cached;
        }
        URI uri = URI.create(baseUrl + "/schemas/ids/" + id);
        JsonNode response = send(request(uri).GET().build());
        JsonNode text = response.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException("schema registry GET " + uri + " answered without a 'schema' text: " + response);
        }
        String type = response.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException("schema registry GET " + uri + ": schema id " + id + " is " + type
                    + ", not AVRO");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (RuntimeException e) {
            throw new SchemaRegistryException("schema registry GET " + uri + ": schema id " + id
                    + " is not valid Avro: " + e.getMessage(), e);
        }
        Schema previous = schemas.putIfAbsent(id, schema);
        return previous == null ? schema : previous;
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json")
                .header("Content-Type", CONTENT_TYPE);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private JsonNode send(HttpRequest request) {
        String where = "schema registry " + request.method() + " " + request.uri();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException(where + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(where + " interrupted", e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            String message = body != null && body.hasNonNull("message") ? body.get("message").asText()
                    : abbreviate(response.body());
            String code = body != null && body.hasNonNull("error_code") ? " (error_code " + body.get("error_code").asText() + ")" : "";
            throw new SchemaRegistryException(where + " failed: HTTP " + response.statusCode() + code + ": " + message);
        }
        if (body == null || !body.isObject()) {
            throw new SchemaRegistryException(where + " answered HTTP " + response.statusCode()
                    + " with a body that is not a JSON object: " + abbreviate(response.body()));
        }
        return body;
    }

    private JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? null : json.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        if (text == null || text.isBlank()) {
            return "(empty body)";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "ConfluentSchemaRegistryClient[" + baseUrl + "]";
    }
}
