package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /v1/collections}: register (POST), list (GET) and describe ({@code GET /{name}}).
 * Registering waits until the capture includes the table, so rows written after the 201 are
 * streamed and covered by {@code min_lsn}; existing rows come through the table's snapshot, which
 * holds the watermarks back until it has delivered them.
 */
final class CollectionsHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionsHandler.class);
    static final Duration CAPTURE_WAIT = Duration.ofSeconds(60);

    private final EmbeddedRuntime runtime;
    private final long maxBodyBytes;

    CollectionsHandler(EmbeddedRuntime runtime, long maxBodyBytes) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.maxBodyBytes = maxBodyBytes;
    }

    void list(HttpExchange exchange) throws IOException {
        Exchanges.send(exchange, 200, Map.of("collections",
                runtime.catalog().all().stream().map(CollectionView::of).toList()));
    }

    void get(HttpExchange exchange, String name) throws IOException {
        Exchanges.send(exchange, 200, CollectionView.of(require(name)));
    }

    /**
     * A 409 {@code capture_elsewhere} on an {@code --index-only} instance: collection specs (and
     * their policies) are stored by the instance that runs the capture. {@code what} names the call.
     */
    static void requireCapture(EmbeddedRuntime runtime, String what) {
        if (!runtime.config().runsCapture()) {
            throw new ApiException(409, "capture_elsewhere", "this process does not capture (roles "
                    + String.join(",", runtime.config().roles().stream().sorted().map(io.ruvector.compose.runtime.Role::cliName).toList())
                    + "): " + what + " on the process that runs the capture or normaliser role");
        }
    }

    void create(HttpExchange exchange) throws IOException, InterruptedException {
        requireCapture(runtime, "register collections");
        CreateCollectionBody body = Exchanges.readBody(exchange, CreateCollectionBody.class, maxBodyBytes);
        runtime.capture(); // a 503 while the capture starts, before anything is stored
        CollectionRequest request = toRequest(body);
        CollectionSpec existing = runtime.catalog().byName(request.name());
        if (existing != null && !existing.getTable().equals(request.table())) {
            throw new ApiException(409, "collection_exists", "collection '" + request.name()
                    + "' already exists for table " + existing.getTable());
        }
        CollectionSpec spec;
        try {
            spec = runtime.register(request, body.dimensions() == null ? 0 : body.dimensions());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_collection", e.getMessage());
        } catch (SQLException e) {
            throw new ApiException(502, "database_error", "PostgreSQL refused the registration of '"
                    + request.name() + "': " + e.getMessage(), e);
        }
        if (!runtime.capture().awaitCapturing(spec.getTable(), CAPTURE_WAIT)) {
            throw new ApiException(504, "capture_timeout", "collection '" + spec.getName() + "' is registered but the "
                    + "capture did not include " + spec.getTable() + " within " + CAPTURE_WAIT.toSeconds() + " s");
        }
        LOG.info("collection {} registered over {} via HTTP", spec.getName(), spec.getTable());
        Exchanges.send(exchange, existing == null ? 201 : 200, CollectionView.of(spec));
    }

    /** The collection called {@code name}, or a 404. */
    CollectionSpec require(String name) {
        CollectionSpec spec = runtime.catalog().byName(name);
        if (spec == null) {
            throw ApiException.notFound("collection_not_found", "no collection named '" + name + "'");
        }
        return spec;
    }

    static CollectionRequest toRequest(CreateCollectionBody body) {
        Metric metric = body.metric() == null ? null : metric(body.metric());
        CreateCollectionBody.IndexOptions index = body.index();
        if (body.metadataColumns() != null && body.metadataColumns().contains(null)) {
            throw ApiException.badRequest("invalid_collection", "metadata_columns must not contain null");
        }
        if (body.dimensions() != null && (body.dimensions() < 1 || body.dimensions() > 64_000)) {
            throw ApiException.badRequest("invalid_collection", "dimensions must be in 1..64000, got " + body.dimensions());
        }
        try {
            return new CollectionRequest(body.name(), body.table(), body.idColumn(), body.vectorColumn(), metric,
                    body.tenantColumn(), body.metadataColumns(),
                    index == null || index.m() == null ? 0 : index.m(),
                    index == null || index.efConstruction() == null ? 0 : index.efConstruction(),
                    body.partitions() == null ? 0 : body.partitions());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_collection", e.getMessage());
        }
    }

    static Metric metric(String text) {
        try {
            return CollectionRequest.metric(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_metric", e.getMessage());
        }
    }
}
