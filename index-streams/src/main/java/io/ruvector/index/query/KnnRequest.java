package io.ruvector.index.query;

import io.ruvector.schemas.Metric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A k-nearest-neighbour request against one collection, validated on construction so that every
 * partition sees the same well-formed request and a bad one fails once, at the caller.
 *
 * <p>Filters: with a {@code tenant} only rows of that tenant match (the store does not know the
 * collection spec, so "tenant required" is the HTTP layer's rule); {@code filter} is a
 * {@link MetadataFilter} ANDed with the tenant. Distances are always pgvector's; whether the
 * top-k is exact or approximate (graph) is the partition's choice (see HNSW-NOTES.md) unless
 * {@code exact} forces brute force, and {@link KnnResult#strategies()} says what was done.
 *
 * <p>Build one with {@link #of} (unfiltered, defaults) or {@link #builder}.
 *
 * @param collection the collection to search
 * @param vector     the query vector, every component finite (owned by the request; do not modify)
 * @param k          hits wanted, {@code 1..}{@value #MAX_K}
 * @param metric     the distance, pgvector's semantics
 * @param tenant     only rows of this tenant, or null for no tenant filter
 * @param filter     metadata conditions, {@link MetadataFilter#all()} when null
 * @param efSearch   graph candidates to collect ({@code 1..}{@value #MAX_EF_SEARCH}; the search uses
 *                   {@code max(efSearch, k)}), or null for the index's default
 * @param exact      true forces brute force (exact top-k) on every partition
 */
public record KnnRequest(String collection, float[] vector, int k, Metric metric, String tenant,
                         MetadataFilter filter, Integer efSearch, boolean exact) {

    /** Upper bound of {@code k}: a larger answer is a bulk export, not a search. */
    public static final int MAX_K = 10_000;

    /** Upper bound of {@code ef_search} (pgvector's stops at 1000; here it may follow k up to {@link #MAX_K}). */
    public static final int MAX_EF_SEARCH = 10_000;

    public KnnRequest {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(metric, "metric");
        if (collection.isBlank()) {
            throw new IllegalArgumentException("collection must not be blank");
        }
        if (vector.length == 0) {
            throw new IllegalArgumentException("query vector must have at least 1 dimension");
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new IllegalArgumentException("query vector component " + i + " is " + vector[i]
                        + "; every component must be finite");
            }
        }
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("k must be in 1.." + MAX_K + ", was " + k);
        }
        if (efSearch != null && (efSearch < 1 || efSearch > MAX_EF_SEARCH)) {
            throw new IllegalArgumentException("ef_search must be in 1.." + MAX_EF_SEARCH + ", was " + efSearch);
        }
        filter = filter == null ? MetadataFilter.all() : filter;
    }

    /**
     * The equality-filter request of the first slice: {@code equalsFilter} becomes one
     * {@link MetadataFilter.Eq} per entry; default {@code ef_search}, not forced exact.
     */
    public KnnRequest(String collection, float[] vector, int k, Metric metric, String tenant,
                      Map<String, Object> equalsFilter) {
        this(collection, vector, k, metric, tenant, MetadataFilter.equalsAll(equalsFilter), null, false);
    }

    /** The same request asking for {@code newK} hits (a merge that dropped superseded hits asks again for more). */
    public KnnRequest withK(int newK) {
        return new KnnRequest(collection, vector, newK, metric, tenant, filter, efSearch, exact);
    }

    /** An unfiltered request with the default {@code ef_search}. */
    public static KnnRequest of(String collection, float[] vector, int k, Metric metric) {
        return new KnnRequest(collection, vector, k, metric, null, MetadataFilter.all(), null, false);
    }

    /** A builder for {@code collection} and {@code vector}; k defaults to 10, metric to L2. */
    public static Builder builder(String collection, float[] vector) {
        return new Builder(collection, vector);
    }

    /** Whether a row with {@code rowTenant} and {@code metadata} passes the tenant and the filter. */
    public boolean accepts(String rowTenant, Map<String, Object> metadata) {
        return (tenant == null || tenant.equals(rowTenant)) && filter.test(metadata);
    }

    /** Whether any filter is set (unfiltered scans skip the per-row predicate). */
    public boolean filtered() {
        return tenant != null || !filter.matchesAll();
    }

    /**
     * The filter's top-level equality conditions as a map (all of it when the filter is a
     * conjunction of equalities, as built by the six-argument constructor).
     */
    public Map<String, Object> equalsFilter() {
        List<MetadataFilter> parts = filter instanceof MetadataFilter.And(List<MetadataFilter> all) ? all : List.of(filter);
        Map<String, Object> out = new LinkedHashMap<>();
        for (MetadataFilter part : parts) {
            if (part instanceof MetadataFilter.Eq(String key, Object value)) {
                out.put(key, value);
            }
        }
        return Map.copyOf(out);
    }

    @Override
    public String toString() {
        return "KnnRequest[" + collection + ", dims=" + vector.length + ", k=" + k + ", " + metric
                + (tenant == null ? "" : ", tenant=" + tenant) + (filter.matchesAll() ? "" : ", filter=" + filter)
                + (efSearch == null ? "" : ", ef_search=" + efSearch) + (exact ? ", exact" : "") + "]";
    }

    /** Readable construction: {@code KnnRequest.builder("docs", v).k(5).metric(COSINE).filter(f).build()}. */
    public static final class Builder {
        private final String collection;
        private final float[] vector;
        private int k = 10;
        private Metric metric = Metric.L2;
        private String tenant;
        private MetadataFilter filter = MetadataFilter.all();
        private Integer efSearch;
        private boolean exact;

        private Builder(String collection, float[] vector) {
            this.collection = collection;
            this.vector = vector;
        }

        public Builder k(int value) {
            k = value;
            return this;
        }

        public Builder metric(Metric value) {
            metric = value;
            return this;
        }

        public Builder tenant(String value) {
            tenant = value;
            return this;
        }

        public Builder filter(MetadataFilter value) {
            filter = value;
            return this;
        }

        /** Graph candidates; null for the index default. */
        public Builder efSearch(Integer value) {
            efSearch = value;
            return this;
        }

        public Builder exact(boolean value) {
            exact = value;
            return this;
        }

        public KnnRequest build() {
            return new KnnRequest(collection, vector, k, metric, tenant, filter, efSearch, exact);
        }
    }
}
