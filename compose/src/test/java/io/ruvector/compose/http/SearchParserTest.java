package io.ruvector.compose.http;

import com.fasterxml.jackson.core.JacksonException;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.VectorType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchParserTest {

    private static CollectionSpec spec(String tenantColumn) {
        return CollectionSpec.newBuilder().setName("docs").setTable("public.docs").setIdColumn("id")
                .setVectorColumn("embedding").setVectorType(VectorType.VECTOR).setDimensions(3).setMetric(Metric.COSINE)
                .setTenantColumn(tenantColumn).setMetadataColumns(List.of("lang", "year")).setPartitions(4)
                .setCreatedAtMillis(0).build();
    }

    private static SearchBody body(String json) {
        try {
            return Exchanges.JSON.readValue(json, SearchBody.class);
        } catch (JacksonException e) {
            throw JsonErrors.fromJackson(e);
        }
    }

    private static void assertRejected(CollectionSpec spec, String json, String code, String detailPart) {
        assertThatThrownBy(() -> SearchParser.parse(spec, body(json))).as(json)
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.detail()).contains(detailPart);
                });
    }

    @Test
    void shouldDefaultMetricKAndTimeoutWhenOmitted() {
        SearchParser.SearchPlan plan = SearchParser.parse(spec(null), body("{\"vector\": [1, 2.5, -3]}"));
        assertThat(plan.request().metric()).isEqualTo(Metric.COSINE);
        assertThat(plan.request().k()).isEqualTo(10);
        assertThat(plan.request().vector()).containsExactly(1f, 2.5f, -3f);
        assertThat(plan.minLsnText()).isNull();
        assertThat(plan.timeout().toMillis()).isEqualTo(5000);
    }

    @Test
    void shouldBuildEqualityFilterAndTenantWhenGiven() {
        SearchParser.SearchPlan plan = SearchParser.parse(spec("org"), body("""
                {"vector": [1, 2, 3], "k": 5, "metric": "<->", "exact": false, "ef_search": 40,
                 "filter": {"lang": "en", "year": 2024}, "tenant": "a", "min_lsn": "0/10", "timeout_ms": 100}"""));
        assertThat(plan.request().metric()).isEqualTo(Metric.L2);
        assertThat(plan.request().tenant()).isEqualTo("a");
        assertThat(plan.request().equalsFilter()).isEqualTo(Map.of("lang", "en", "year", 2024L));
        assertThat(plan.minLsn()).isEqualTo(16);
    }

    @Test
    void shouldRejectNamingTheProblemWhenBodyIsBad() {
        CollectionSpec plain = spec(null);
        assertRejected(plain, "{}", "missing_field", "vector");
        assertRejected(plain, "{\"vector\": [1, 2]}", "dimension_mismatch", "3");
        assertRejected(plain, "{\"vector\": [1, \"NaN\", 3]}", "invalid_vector", "vector[1]");
        assertRejected(plain, "{\"vector\": [1, 2, 1e39]}", "invalid_vector", "vector[2]");
        assertRejected(plain, "{\"vector\": [1, 2, NaN]}", "invalid_json", "NaN");
        assertRejected(plain, "{\"vector\": \"1,2,3\"}", "invalid_vector", "array");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"k\": 0}", "invalid_k", "k must be");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"k\": 10001}", "invalid_k", "k must be");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"k\": 2.5}", "invalid_field", "'k'");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"k\": \"5\"}", "invalid_field", "'k'");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"metric\": \"hamming\"}", "invalid_metric", "hamming");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"filter\": {\"lang\": {\"in\": []}}}", "invalid_filter", "lang");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"filter\": {\"lang\": {\"gte\": 1, \"in\": [2]}}}", "invalid_filter", "lang");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"filter\": {\"lang\": {\"lt\": true}}}", "invalid_filter", "lang");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"ef_search\": 10001}", "invalid_ef_search", "ef_search");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"filter\": {\"colour\": \"red\"}}", "invalid_filter", "colour");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"filter\": [1]}", "invalid_filter", "filter");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"tenant\": \"a\"}", "invalid_tenant", "tenant");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"min_lsn\": \"yesterday\"}", "invalid_lsn", "min_lsn");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"timeout_ms\": 60001}", "invalid_timeout", "timeout_ms");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"top_k\": 3}", "unknown_field", "top_k");
        assertRejected(plain, "{\"vector\": [1, 2, 3]} {}", "invalid_json", "");
        assertRejected(plain, "{\"vector\": [1, 2, 3]", "invalid_json", "");
        assertRejected(spec("org"), "{\"vector\": [1, 2, 3]}", "tenant_required", "org");
    }
}
