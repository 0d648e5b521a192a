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
        assertRejected(plain, "{\"vector\": null}", "missing_field", "vector");
        assertRejected(plain, "{\"vector\": []}", "invalid_vector", "empty");
        assertRejected(plain, "{\"vector\": [1, [2], 3]}", "invalid_vector", "vector[1] is ARRAY");
        assertRejected(plain, "{\"vector\": [1, {\"x\": 2}, 3, 4]}", "invalid_vector", "vector[1] is OBJECT");
        assertRejected(plain, "{\"vector\": [1, 2, null]}", "invalid_vector", "vector[2] is NULL");
        assertRejected(plain, "{\"vector\": [1, 2, 3], \"vector_base64\": \"AACAPw==\"}", "invalid_request", "not both");
        assertRejected(plain, "{\"vector_base64\": \"not base64!\"}", "invalid_vector", "base64");
        assertRejected(plain, "{\"vector_base64\": \"AACA\"}", "invalid_vector", "3 bytes");
        assertRejected(plain, "{\"vector_base64\": \"" + base64(1f, 2f) + "\"}", "dimension_mismatch", "vector_base64 has 2");
        assertRejected(plain, "{\"vector_base64\": \"" + base64(1f, Float.NaN, 3f) + "\"}", "invalid_vector", "component 1");
    }

    @Test
    void shouldReadTheSameVectorFromJsonNumbersAndFromLittleEndianBase64() {
        float[] query = {1.5f, -0.25f, 3.0e-8f};
        SearchParser.SearchPlan fromNumbers = SearchParser.parse(spec(null), body("{\"vector\": [1.5, -0.25, 3.0e-8]}"));
        SearchParser.SearchPlan fromBase64 = SearchParser.parse(spec(null), body("{\"vector_base64\": \"" + base64(query) + "\"}"));
        assertThat(fromNumbers.request().vector()).containsExactly(query);
        assertThat(fromBase64.request().vector()).containsExactly(query);
    }

    @Test
    void shouldParseEveryNumberToTheNearestFloatAsPgvectorsStrtofDoes() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        String[] numbers = new String[1000];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = switch (i % 3) {
                case 0 -> Double.toString(random.nextDouble(-1e6, 1e6));
                case 1 -> Long.toString(random.nextLong(-100_000, 100_000));
                default -> random.nextDouble() + "e-" + random.nextInt(1, 30);
            };
        }
        float[] streamed = Exchanges.JSON.readValue("[" + String.join(",", numbers) + "]", QueryVector.class)
                .require(numbers.length, "vector");
        for (int i = 0; i < numbers.length; i++) {
            assertThat(streamed[i]).as("%s", numbers[i]).isEqualTo(Float.parseFloat(numbers[i]));
        }
    }

    private static String base64(float... values) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        return java.util.Base64.getEncoder().encodeToString(bytes.array());
    }
}
