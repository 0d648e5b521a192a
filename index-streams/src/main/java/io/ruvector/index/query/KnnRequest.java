package io.ruvector.index.query;

import io.ruvector.schemas.Metric;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An exact k-nearest-neighbour request against one collection, validated on construction so that
 * every partition sees the same well-formed request and a bad one fails once, at the caller.
 *
 * <p>Filters: with a {@code tenant} only rows of that tenant match (the store does not know the
 * collection spec, so "tenant required" is the HTTP layer's rule); {@code equalsFilter} keeps rows
 * whose metadata holds an equal value under every key. Filter values are normalised to the
 * metadata types ({@code Integer}/{@code Short}/{@code Byte} to {@link Long}, {@code Float} to
 * {@link Double}, {@link CharSequence} to {@link String}); a null value is rejected (SQL
 * {@code = NULL} matches nothing, which is never what a caller meant).
 *
 * @param collection   the collection to search
 * @param vector       the query vector, every component finite (owned by the request; do not modify)
 * @param k            hits wanted, {@code 1..}{@value #MAX_K}
 * @param metric       the distance, pgvector's semantics
 * @param tenant       only rows of this tenant, or null for no tenant filter
 * @param equalsFilter metadata equality conditions, empty for none
 */
public record KnnRequest(String collection, float[] vector, int k, Metric metric, String tenant,
                         Map<String, Object> equalsFilter) {

    /** Upper bound of {@code k}: a larger answer is a bulk export, not a search. */
    public static final int MAX_K = 10_000;

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
        equalsFilter = normalise(equalsFilter);
    }

    /** An unfiltered request. */
    public static KnnRequest of(String collection, float[] vector, int k, Metric metric) {
        return new KnnRequest(collection, vector, k, metric, null, Map.of());
    }

    /** Whether a row with {@code rowTenant} and {@code metadata} passes the tenant and equality filters. */
    public boolean accepts(String rowTenant, Map<String, Object> metadata) {
        if (tenant != null && !tenant.equals(rowTenant)) {
            return false;
        }
        for (Map.Entry<String, Object> condition : equalsFilter.entrySet()) {
            if (!condition.getValue().equals(metadata.get(condition.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether any filter is set (unfiltered scans skip the per-row predicate). */
    public boolean filtered() {
        return tenant != null || !equalsFilter.isEmpty();
    }

    private static Map<String, Object> normalise(Map<String, Object> filter) {
        if (filter == null || filter.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        filter.forEach((key, value) -> out.put(Objects.requireNonNull(key, "filter key"), switch (value) {
            case null -> throw new IllegalArgumentException("filter value for '" + key + "' is null");
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Float f -> (double) f;
            case CharSequence s -> s.toString();
            case Long l -> l;
            case Double d -> d;
            case Boolean b -> b;
            default -> throw new IllegalArgumentException("filter value for '" + key + "' has type "
                    + value.getClass().getSimpleName() + "; use string, long, double or boolean");
        }));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "KnnRequest[" + collection + ", dims=" + vector.length + ", k=" + k + ", " + metric
                + (tenant == null ? "" : ", tenant=" + tenant) + (equalsFilter.isEmpty() ? "" : ", filter=" + equalsFilter)
                + "]";
    }
}
