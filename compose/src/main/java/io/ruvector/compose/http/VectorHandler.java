package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.index.query.RowVersion;
import io.ruvector.index.query.RowVersionsQuery;
import io.ruvector.index.query.TransitMerge;
import io.ruvector.index.query.VectorRecord;
import io.ruvector.schemas.CollectionSpec;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code GET /v1/collections/{name}/vectors/{id}}: the indexed row with that id, asked of every
 * partition (the capture routes by a bucket map the index does not know) and answered by the one
 * holding it; 404 when no partition has it (never written, deleted, or not indexed yet).
 */
final class VectorHandler {

    /** The row as indexed: {@code lsn} is the PostgreSQL LSN of the change that wrote it. */
    record VectorView(String id, String tenant, float[] vector, Map<String, Object> metadata, String lsn, int partition) {
    }

    private final CollectionsHandler collections;
    private final EmbeddedRuntime runtime;
    private final PeerClient peers;

    VectorHandler(CollectionsHandler collections, EmbeddedRuntime runtime, PeerClient peers) {
        this.collections = Objects.requireNonNull(collections, "collections");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    void get(HttpExchange exchange, String name, String id) throws IOException, InterruptedException {
        CollectionSpec spec = collections.require(name);
        Map<Integer, Map<String, RowVersion>> answers;
        try {
            answers = SearchHandler.cluster(runtime).gather(new RowVersionsQuery(spec.getName(), Set.of(id), true),
                    peers.versions(name, Set.of(id), true));
        } catch (ApiException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_request", e.getMessage());
        } catch (RuntimeException e) {
            throw SearchHandler.unavailable(e);
        }
        // During a bucket hand-off two partitions may hold the id: the newest state wins, a delete included.
        RowVersion newest = TransitMerge.newest(answers.values(), id);
        if (newest != null && !newest.deleted()) {
            for (Map.Entry<Integer, Map<String, RowVersion>> answer : answers.entrySet()) {
                if (answer.getValue().get(id) == newest) {
                    VectorRecord row = newest.row();
                    Exchanges.send(exchange, 200, new VectorView(row.id(), row.tenant(), row.vector(), row.metadata(),
                            Lsn.format(row.lsn()), answer.getKey()));
                    return;
                }
            }
        }
        throw ApiException.notFound("vector_not_found", "collection '" + name + "' has no vector with id '" + id
                + "' in the index (never written, deleted, or not indexed yet: use min_lsn on a search to wait)");
    }
}
