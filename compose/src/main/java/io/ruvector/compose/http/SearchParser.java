package io.ruvector.compose.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.MetadataFilter;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.Metric;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;

/**
 * Checks a {@link SearchBody} against its collection and turns it into a {@link KnnRequest}
 * plus the read-your-writes wait; every problem is a 400 naming the field.
 */
final class SearchParser {

    static final int DEFAULT_K = 10;
    static final long DEFAULT_TIMEOUT_MS = 5_000;
    static final long MAX_TIMEOUT_MS = 60_000;

    /** What to run: the request, and the LSN to wait for first ({@code minLsnText} null for no wait). */
    record SearchPlan(KnnRequest request, String minLsnText, long minLsn, Duration timeout) {
    }

    private SearchParser() {
    }

    static SearchPlan parse(CollectionSpec spec, SearchBody body) {
        float[] vector = vector(body, spec.getDimensions());
        int k = body.k() == null ? DEFAULT_K : body.k();
        if (k < 1 || k > KnnRequest.MAX_K) {
            throw ApiException.badRequest("invalid_k", "k must be in 1.." + KnnRequest.MAX_K + ", was " + k);
        }
        Metric metric = body.metric() == null ? spec.getMetric() : CollectionsHandler.metric(body.metric());
        String tenant = tenant(spec, body.tenant());
        MetadataFilter filter = filter(spec, body.filter());
        if (body.efSearch() != null && (body.efSearch() < 1 || body.efSearch() > KnnRequest.MAX_EF_SEARCH)) {
            throw ApiException.badRequest("invalid_ef_search", "ef_search must be in 1.." + KnnRequest.MAX_EF_SEARCH
                    + ", was " + body.efSearch());
        }
        long timeoutMs = body.timeoutMs() == null ? DEFAULT_TIMEOUT_MS : body.timeoutMs();
        if (timeoutMs < 0 || timeoutMs > MAX_TIMEOUT_MS) {
            throw ApiException.badRequest("invalid_timeout", "timeout_ms must be in 0.." + MAX_TIMEOUT_MS + ", was " + timeoutMs);
        }
        long minLsn = body.minLsn() == null ? -1 : Lsn.parse(body.minLsn(), "min_lsn");
        try {
            KnnRequest request = KnnRequest.builder(spec.getName(), vector).k(k).metric(metric).tenant(tenant)
                    .filter(filter).efSearch(body.efSearch()).exact(Boolean.TRUE.equals(body.exact())).build();
            return new SearchPlan(request,
                    body.minLsn(), minLsn, Duration.ofMillis(timeoutMs));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_request", e.getMessage());
        }
    }

    /**
     * The query vector of the collection's dimensions: {@code vector}, a JSON array of finite
     * numbers, or {@code vector_base64}, little-endian float32 (one of the two).
     */
    static float[] vector(SearchBody body, int dimensions) {
        if (body.vector() != null && body.vectorBase64() != null) {
            throw ApiException.badRequest("invalid_request", "give the query as vector or as vector_base64, not both");
        }
        if (body.vector() != null) {
            return body.vector().require(dimensions, "vector");
        }
        if (body.vectorBase64() != null) {
            return QueryVector.fromBase64(body.vectorBase64()).require(dimensions, "vector_base64");
        }
        throw ApiException.badRequest("missing_field", "vector is required (an array of numbers, or vector_base64: "
                + "little-endian float32, base64)");
    }

    private static String tenant(CollectionSpec spec, String tenant) {
        if (spec.getTenantColumn() != null && tenant == null) {
            throw ApiException.badRequest("tenant_required", "collection '" + spec.getName()
                    + "' is multi-tenant (column " + spec.getTenantColumn() + "); tenant is required");
        }
        if (spec.getTenantColumn() == null && tenant != null) {
            throw ApiException.badRequest("invalid_tenant", "collection '" + spec.getName() + "' has no tenant column");
        }
        return tenant;
    }

    /**
     * Scalar equality on metadata columns: {@code {"lang": "en", "year": 2024}}. Other shapes
     * ({@code {"in": [...]}}, arrays, objects) are 400 {@code unsupported_filter} for now.
     */
    /**
     * The filter: an object of metadata column to condition, ANDed. A condition is a scalar
     * (equality), {@code {"in": [scalars]}}, or a numeric range of {@code gt}/{@code gte}/
     * {@code lt}/{@code lte}. Every problem is a 400 naming the column.
     */
    static MetadataFilter filter(CollectionSpec spec, JsonNode node) {
        if (node == null || node.isNull()) {
            return MetadataFilter.all();
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("invalid_filter", "filter must be an object of metadata column to condition, got "
                    + node.getNodeType());
        }
        List<MetadataFilter> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String column = entry.getKey();
            if (!spec.getMetadataColumns().contains(column)) {
                throw ApiException.badRequest("invalid_filter", "filter column '" + column + "' is not a metadata column of '"
                        + spec.getName() + "' (metadata columns: " + spec.getMetadataColumns() + ")");
            }
            try {
                parts.add(condition(column, entry.getValue()));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_filter", e.getMessage());
            }
        }
        return MetadataFilter.and(parts);
    }

    private static MetadataFilter condition(String column, JsonNode value) {
        if (!value.isObject()) {
            return MetadataFilter.eq(column, scalar(column, value));
        }
        Set<String> operators = new TreeSet<>();
        value.fieldNames().forEachRemaining(operators::add);
        if (operators.equals(Set.of("in"))) {
            JsonNode list = value.get("in");
            if (!list.isArray() || list.isEmpty()) {
                throw new IllegalArgumentException("filter 'in' for '" + column + "' must be a non-empty array of values");
            }
            List<Object> values = new ArrayList<>();
            list.forEach(v -> values.add(scalar(column, v)));
            return MetadataFilter.in(column, values);
        }
        if (operators.isEmpty() || !RANGE_OPERATORS.containsAll(operators)) {
            throw new IllegalArgumentException("filter for '" + column + "' has operators " + operators
                    + "; use a value, {\"in\": [...]} or a range of gt, gte, lt, lte");
        }
        return MetadataFilter.range(column, number(column, value.get("gt")), number(column, value.get("gte")),
                number(column, value.get("lt")), number(column, value.get("lte")));
    }

    private static final Set<String> RANGE_OPERATORS = Set.of("gt", "gte", "lt", "lte");

    private static Object scalar(String column, JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> value.textValue();
            case BOOLEAN -> value.booleanValue();
            case NUMBER -> value.isIntegralNumber() && value.canConvertToLong() ? (Object) value.longValue()
                    : (Object) value.doubleValue();
            case NULL, MISSING -> throw new IllegalArgumentException("filter value for '" + column
                    + "' is null; SQL = NULL matches nothing");
            default -> throw new IllegalArgumentException("filter value for '" + column + "' is " + value.getNodeType()
                    + "; use a string, number or boolean");
        };
    }

    private static Object number(String column, JsonNode bound) {
        if (bound == null) {
            return null;
        }
        if (!bound.isNumber()) {
            throw new IllegalArgumentException("range bound for '" + column + "' must be a number, got " + bound.getNodeType());
        }
        return bound.isIntegralNumber() && bound.canConvertToLong() ? (Object) bound.longValue() : (Object) bound.doubleValue();
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
