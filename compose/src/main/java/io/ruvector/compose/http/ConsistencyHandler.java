package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.index.query.BucketDigests;
import io.ruvector.index.query.BucketDigestsQuery;
import io.ruvector.index.query.BucketRowsQuery;
import io.ruvector.index.query.BucketRowsQuery.RowState;
import io.ruvector.index.query.WatermarkQuery;
import io.ruvector.schemas.route.Buckets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /v1/collections/{name}/consistency/...}: what {@code ./ruvector migrate check} compares
 * with the table. {@code digests} sums every partition's {@link BucketDigests}; {@code rows} lists
 * the state that counts for each id of some buckets (newest across partitions, so a row held
 * twice during a hand-off is listed once, and a newer delete hides an older live copy).
 * Both answer with the lowest partition watermark read before the data: every change committed
 * at or before it is in the answer.
 */
final class ConsistencyHandler {

    /** Body of {@code POST …/consistency/rows}. */
    record RowsBody(List<Integer> buckets) {
    }

    /** The summed digests; {@code sums} wrap as Java longs do. */
    record DigestsView(String collection, String watermarkLsn, int buckets, long rows, int[] bucketRows, long[] bucketSums) {
    }

    /** One id's state that counts; {@code digest} 0 for a deleted one. */
    record RowView(String id, long lsn, boolean deleted, long digest) {
    }

    record RowsView(String collection, String watermarkLsn, List<RowView> rows) {
    }

    private final CollectionsHandler collections;
    private final EmbeddedRuntime runtime;
    private final PeerClient peers;
    private final long maxBodyBytes;

    ConsistencyHandler(CollectionsHandler collections, EmbeddedRuntime runtime, PeerClient peers, long maxBodyBytes) {
        this.collections = Objects.requireNonNull(collections, "collections");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.maxBodyBytes = maxBodyBytes;
    }

    void digests(HttpExchange exchange, String name) throws IOException, InterruptedException {
        collections.require(name);
        String watermark = watermark();
        BucketDigests total = BucketDigests.empty();
        gather(() -> SearchHandler.cluster(runtime).gather(new BucketDigestsQuery(name), peers.digests(name)))
                .values().forEach(total::addAll);
        Exchanges.send(exchange, 200, new DigestsView(name, watermark, Buckets.COUNT, total.totalRows(), total.rows(),
                total.sums()));
    }

    void rows(HttpExchange exchange, String name) throws IOException, InterruptedException {
        collections.require(name);
        RowsBody body = Exchanges.readBody(exchange, RowsBody.class, maxBodyBytes);
        if (body.buckets() == null || body.buckets().isEmpty()) {
            throw ApiException.badRequest("missing_field", "buckets is required: a non-empty array of bucket numbers in 0.."
                    + (Buckets.COUNT - 1));
        }
        Set<Integer> buckets = new TreeSet<>();
        for (Integer b : body.buckets()) {
            if (b == null || b < 0 || b >= Buckets.COUNT) {
                throw ApiException.badRequest("invalid_field", "buckets: " + b + " is not a bucket number in 0.."
                        + (Buckets.COUNT - 1));
            }
            buckets.add(b);
        }
        String watermark = watermark();
        Map<String, RowState> newest = new HashMap<>();
        for (List<RowState> partition : gather(() -> SearchHandler.cluster(runtime)
                .gather(new BucketRowsQuery(name, buckets), peers.rowStates(name, buckets))).values()) {
            for (RowState state : partition) {
                newest.merge(state.id(), state, (a, b) -> b.version().supersedes(a.version()) ? b : a);
            }
        }
        List<RowView> rows = new ArrayList<>();
        newest.values().stream().sorted(Comparator.comparing(RowState::id))
                .forEach(s -> rows.add(new RowView(s.id(), s.lsn(), s.deleted(), s.digest())));
        Exchanges.send(exchange, 200, new RowsView(name, watermark, rows));
    }

    /** The lowest partition watermark now, as LSN text (null before every partition has one). */
    private String watermark() throws InterruptedException {
        Map<Integer, Long> marks = gather(() -> SearchHandler.cluster(runtime).gather(new WatermarkQuery(), peers.watermarks()));
        long lowest = marks.values().stream().mapToLong(Long::longValue).min().orElse(-1);
        return lowest < 0 ? null : Lsn.format(lowest);
    }

    private interface Gather<R> {
        Map<Integer, R> get() throws InterruptedException;
    }

    private static <R> Map<Integer, R> gather(Gather<R> gather) throws InterruptedException {
        try {
            return gather.get();
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SearchHandler.unavailable(e);
        }
    }
}
