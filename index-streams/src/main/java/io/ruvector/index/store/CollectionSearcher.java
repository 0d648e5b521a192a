package io.ruvector.index.store;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.graph.VectorGraph;
import io.ruvector.index.kernel.DistanceBound;
import io.ruvector.index.kernel.DistanceFunction;
import io.ruvector.index.kernel.VectorDistances;
import io.ruvector.index.query.BoundedMaxHeap;
import io.ruvector.index.query.ExactSearch;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.query.SearchResult;
import io.ruvector.index.query.SearchStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Answers one kNN request on one {@link CollectionIndex}, choosing the strategy:
 * <ol>
 *   <li>exact when asked, for L1 or a metric the graph was not built for, and while the
 *       collection has no graph (fewer than {@link HnswSettings#exactBelowRows()} rows);</li>
 *   <li>with a filter (tenant and/or metadata): estimate its matches on a sample of rows; very
 *       selective (at most {@link HnswSettings#filterExactMaxMatches()} rows, or under
 *       {@link HnswSettings#filterExactMaxSelectivity()} of them) → exact over the matches, since a
 *       graph walk would visit most of the graph to find k of them; otherwise graph search with the
 *       filter in jvector's accept bits;</li>
 *   <li>graph search collects {@code max(ef_search, k)} candidates, adds the rows not yet linked
 *       into the graph (scanned exactly, see {@link CollectionIndex}) and re-scores them with
 *       pgvector's distance; when it finds fewer than k (or fewer than the live rows) the answer
 *       is incomplete and brute force replaces it.</li>
 * </ol>
 * Stateless; runs under the store's read lock.
 */
final class CollectionSearcher {

    private CollectionSearcher() {
    }

    /**
     * The top-k of {@code index} for {@code request}.
     *
     * @throws IllegalArgumentException when the query's dimension differs (pgvector's message)
     */
    static KnnResult search(CollectionIndex index, KnnRequest request, HnswSettings settings, long watermark) {
        if (request.vector().length != index.dims()) {
            throw new IllegalArgumentException("different vector dimensions " + request.vector().length + " and "
                    + index.dims() + " (collection " + request.collection() + ")");
        }
        SearchStrategy strategy = choose(index, request, settings);
        List<KnnHit> hits = strategy.exact() ? exact(index, request) : graph(index, request, settings);
        if (hits == null) {
            return new KnnResult(exact(index, request), watermark, SearchStrategy.EXACT_GRAPH_FALLBACK);
        }
        return new KnnResult(hits, watermark, strategy);
    }

    static SearchStrategy choose(CollectionIndex index, KnnRequest request, HnswSettings settings) {
        VectorGraph graph = index.graph();
        if (request.exact() || graph == null || graph.metric() != request.metric() || index.size() == 0
                || index.size() < settings.exactBelowRows()) {
            return SearchStrategy.EXACT;
        }
        if (!request.filtered()) {
            return SearchStrategy.GRAPH;
        }
        long matches = estimateMatches(index, request, settings.filterSampleSize());
        boolean selective = matches <= settings.filterExactMaxMatches()
                || matches < settings.filterExactMaxSelectivity() * index.size();
        return selective ? SearchStrategy.EXACT_SELECTIVE_FILTER : SearchStrategy.GRAPH_FILTERED;
    }

    /**
     * Rows estimated to pass the request's filters: counted exactly when the collection has at
     * most {@code sampleSize} live rows, else on {@code sampleSize} ordinals spread evenly over
     * the ordinal range (a stratified sample: deterministic, and unbiased by insertion order).
     */
    static long estimateMatches(CollectionIndex index, KnnRequest request, int sampleSize) {
        int live = index.size();
        int highWater = index.highWater();
        if (live <= sampleSize) {
            return countMatches(index, request);
        }
        double step = (double) highWater / sampleSize;
        int sampled = 0;
        int matched = 0;
        for (int i = 0; i < sampleSize; i++) {
            CollectionIndex.Row row = index.row((int) (i * step));
            if (row != null) {
                sampled++;
                if (request.accepts(row.tenant(), row.metadata())) {
                    matched++;
                }
            }
        }
        if (sampled == 0) { // the sample hit only free ordinals: count instead of guessing
            return countMatches(index, request);
        }
        return Math.round((double) matched / sampled * live);
    }

    private static long countMatches(CollectionIndex index, KnnRequest request) {
        long matched = 0;
        for (int ordinal = 0; ordinal < index.highWater(); ordinal++) {
            CollectionIndex.Row row = index.row(ordinal);
            if (row != null && request.accepts(row.tenant(), row.metadata())) {
                matched++;
            }
        }
        return matched;
    }

    /** Brute force: exact top-k, sorted by distance then id. */
    static List<KnnHit> exact(CollectionIndex index, KnnRequest request) {
        if (index.size() == 0) {
            return List.of();
        }
        if (index.compressed() != null) {
            return hits(index, exactTiered(index, request));
        }
        ExactSearch search = new ExactSearch(VectorDistances.forMetric(request.metric()));
        return hits(index, search.search(request.vector(), index.matrix(), index.highWater(), request.k(),
                accepted(index, request)));
    }

    /**
     * Exact over a collection with cold rows: hot rows from the matrix, cold ones through
     * {@link #offerCold} (read back from the store only when they can still make the top k).
     */
    private static SearchResult exactTiered(CollectionIndex index, KnnRequest request) {
        DistanceFunction distance = VectorDistances.forMetric(request.metric());
        IntPredicate accepted = accepted(index, request);
        BoundedMaxHeap heap = new BoundedMaxHeap(Math.max(1, Math.min(request.k(), index.size())));
        float[] matrix = index.matrix();
        int dims = index.dims();
        int[] cold = new int[64];
        int coldCount = 0;
        for (int ordinal = 0; ordinal < index.highWater(); ordinal++) {
            if (!accepted.test(ordinal)) {
                continue;
            }
            int offset = index.offset(ordinal);
            if (offset >= 0) {
                heap.offer(ordinal, distance.distance(request.vector(), matrix, offset, dims));
            } else {
                if (coldCount == cold.length) {
                    cold = Arrays.copyOf(cold, coldCount * 2);
                }
                cold[coldCount++] = ordinal;
            }
        }
        offerCold(index, distance, request, cold, coldCount, heap);
        return heap.drainSorted();
    }

    /**
     * Offers cold rows {@code cold[0..count)} to {@code heap} at their full-precision distance,
     * reading from the store only those that can still make the top k: each row's distance on its
     * codes, widened by the codes' error bound ({@link DistanceBound}), gives the least distance
     * it can have; rows are taken by that bound, best first, until the heap is full and the next
     * bound is worse than its worst hit. The heap ends as a scan of every row would leave it (its
     * order is total), after a handful of store reads instead of one per row.
     */
    private static void offerCold(CollectionIndex index, DistanceFunction distance, KnnRequest request, int[] cold,
                                  int count, BoundedMaxHeap heap) {
        if (count == 0) {
            return;
        }
        int dims = index.dims();
        float[] query = request.vector();
        DistanceBound bound = DistanceBound.of(request.metric(), query);
        float[] decoded = new float[dims];
        long[] byBound = new long[count];
        for (int i = 0; i < count; i++) {
            double error = index.decodeCold(cold[i], decoded);
            double approx = distance.distance(query, decoded, 0, dims);
            double lower = bound.lower(approx, error, bound.needsNorm() ? DistanceBound.norm(decoded, 0, dims) : 0);
            byBound[i] = (long) sortableFloorBits(lower) << 32 | i;
        }
        Arrays.sort(byBound);
        for (long keyed : byBound) {
            if (heap.isFull() && floorFromSortable((int) (keyed >> 32)) > heap.worstDistance()) {
                break; // this row and every later one is worse than the k kept
            }
            int ordinal = cold[(int) keyed];
            heap.offer(ordinal, distance.distance(query, index.fullVector(ordinal), 0, dims));
        }
    }

    /** {@code value} rounded down to a float, as an int whose signed order is the float order (−∞ first). */
    private static int sortableFloorBits(double value) {
        float f = (float) value;
        if (f > value) {
            f = Math.nextDown(f);
        }
        int bits = Float.floatToIntBits(f);
        return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
    }

    private static float floorFromSortable(int sortable) {
        return Float.intBitsToFloat(sortable >= 0 ? sortable : sortable ^ 0x7FFFFFFF);
    }

    /** pgvector's distance of {@code query} to live {@code ordinal}, at full precision whatever its tier. */
    private static double rescore(CollectionIndex index, DistanceFunction distance, float[] query, float[] matrix,
                                  int ordinal, int dims) {
        int offset = index.offset(ordinal);
        return offset >= 0 ? distance.distance(query, matrix, offset, dims)
                : distance.distance(query, index.fullVector(ordinal), 0, dims);
    }

    /**
     * Offers every candidate to {@code heap} at pgvector's distance: hot rows four per pass (their
     * rows lie scattered in memory, and four rows in one loop overlap the waits), a cold candidate
     * re-scored from the store — distances stay exact either way.
     */
    private static void rescoreAll(CollectionIndex index, DistanceFunction distance, KnnRequest request, float[] matrix,
                                   int dims, int[] candidates, BoundedMaxHeap heap) {
        float[] query = request.vector();
        int[] hot = new int[4];
        int[] hotOrdinals = new int[4];
        double[] four = new double[4];
        int pending = 0;
        int[] cold = null;
        int coldCount = 0;
        for (int ordinal : candidates) {
            int offset = index.offset(ordinal);
            if (offset < 0) {
                if (cold == null) {
                    cold = new int[candidates.length];
                }
                cold[coldCount++] = ordinal;
                continue;
            }
            hot[pending] = offset;
            hotOrdinals[pending++] = ordinal;
            if (pending == 4) {
                distance.distance4(query, matrix, hot[0], hot[1], hot[2], hot[3], dims, four);
                for (int i = 0; i < 4; i++) {
                    heap.offer(hotOrdinals[i], four[i]);
                }
                pending = 0;
            }
        }
        if (pending > 0) { // the last one to three rows in one pass too, the first repeated in the empty places
            for (int i = pending; i < 4; i++) {
                hot[i] = hot[0];
            }
            distance.distance4(query, matrix, hot[0], hot[1], hot[2], hot[3], dims, four);
            for (int i = 0; i < pending; i++) {
                heap.offer(hotOrdinals[i], four[i]);
            }
        }
        offerCold(index, distance, request, cold, coldCount, heap); // after the hot ones: their hits prune the reads
    }

    /**
     * Graph search re-scored with pgvector's distance, merged with an exact scan of the rows not
     * yet linked into the graph; null when it found too few rows to be complete.
     */
    private static List<KnnHit> graph(CollectionIndex index, KnnRequest request, HnswSettings settings) {
        int ef = Math.max(request.efSearch() != null ? request.efSearch() : settings.defaultEfSearch(), request.k());
        IntPredicate accepted = accepted(index, request);
        int[] candidates = index.graph().search(request.vector(), ef, accepted);
        DistanceFunction distance = VectorDistances.forMetric(request.metric());
        float[] matrix = index.matrix();
        int dims = index.dims();
        BoundedMaxHeap heap = new BoundedMaxHeap(request.k());
        int found = candidates.length;
        rescoreAll(index, distance, request, matrix, dims, candidates, heap);
        for (int i = 0; i < index.pendingCount(); i++) {
            int ordinal = index.pendingOrdinal(i);
            if (accepted.test(ordinal)) {
                found++;
                heap.offer(ordinal, rescore(index, distance, request.vector(), matrix, ordinal, dims));
            }
        }
        int expected = request.filtered() ? request.k() : Math.min(request.k(), index.size());
        if (found < expected) {
            return null;
        }
        return hits(index, heap.drainSorted());
    }

    /** The rows of {@code best}, sorted by distance then id (the contract; the searches break ties by ordinal). */
    private static List<KnnHit> hits(CollectionIndex index, SearchResult best) {
        List<KnnHit> hits = new ArrayList<>(best.size());
        for (int i = 0; i < best.size(); i++) {
            CollectionIndex.Row row = index.row(best.ordinal(i));
            hits.add(new KnnHit(row.id(), best.distance(i), row.metadata()));
            index.touch(best.ordinal(i)); // returned: not idle (the cold tier's clock)
        }
        hits.sort(null);
        return hits;
    }

    private static IntPredicate accepted(CollectionIndex index, KnnRequest request) {
        if (!request.filtered()) {
            return index::isLive;
        }
        return ordinal -> {
            CollectionIndex.Row row = index.row(ordinal);
            return row != null && request.accepts(row.tenant(), row.metadata());
        };
    }
}
