package io.ruvector.cdc.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.Metric;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CollectionRequestTest {

    @Test
    void shouldApplyDefaultsWhenOptionalFieldsAreOmitted() {
        CollectionRequest request = new CollectionRequest("items", "public.items", "id", "embedding", null, null, null, 0, 0, 0);

        assertThat(request.metric()).isEqualTo(Metric.L2);
        assertThat(request.hnswM()).isEqualTo(16);
        assertThat(request.hnswEfConstruction()).isEqualTo(64);
        assertThat(request.metadataColumns()).isEmpty();
        assertThat(request.tenantColumn()).isNull();
        assertThat(request.partitions()).isPositive();
    }

    @Test
    void shouldKeepExplicitValuesWhenGiven() {
        CollectionRequest request = new CollectionRequest("docs_v2", "search.docs", "doc_id", "vec", Metric.COSINE, "tenant",
                List.of("category", "Price"), 32, 200, 3);

        assertThat(request.table()).isEqualTo("search.docs");
        assertThat(request.metric()).isEqualTo(Metric.COSINE);
        assertThat(request.hnswM()).isEqualTo(32);
        assertThat(request.hnswEfConstruction()).isEqualTo(200);
        assertThat(request.partitions()).isEqualTo(3);
        assertThat(request.metadataColumns()).containsExactly("category", "Price");
    }

    @Test
    void shouldQualifyWithPublicWhenTableIsUnqualified() {
        assertThat(request("items").table()).isEqualTo("public.items");
    }

    @Test
    void shouldCopyMetadataColumnsWhenCallerListChangesLater() {
        List<String> columns = new ArrayList<>(List.of("a"));
        CollectionRequest request = new CollectionRequest("items", "items", "id", "embedding", null, null, columns, 0, 0, 0);
        columns.add("b");

        assertThat(request.metadataColumns()).containsExactly("a");
        assertThatThrownBy(() -> request.metadataColumns().add("c")).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Items", "1items", "_items", "it-ems", "items!", ""})
    void shouldRejectNamingThePatternWhenNameIsBad(String name) {
        assertThatThrownBy(() -> new CollectionRequest(name, "items", "id", "embedding", null, null, null, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name")
                .hasMessageContaining("'" + name + "'");
    }

    @Test
    void shouldRejectWhenNameIsTooLong() {
        String name = "a".repeat(64);

        assertThatThrownBy(() -> new CollectionRequest(name, "items", "id", "embedding", null, null, null, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new CollectionRequest("a".repeat(63), "items", "id", "embedding", null, null, null, 0, 0, 0).name())
                .hasSize(63);
    }

    @Test
    void shouldRejectWhenNameIsNull() {
        assertThatThrownBy(() -> new CollectionRequest(null, "items", "id", "embedding", null, null, null, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "public.", ".items", "a.b.c", "public.it-ems", "public.items; drop table x", "public..items",
            "\"public\".\"items\""})
    void shouldRejectWhenTableIsNotSchemaDotIdentifier(String table) {
        assertThatThrownBy(() -> request(table))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void shouldRejectWhenTableIsBlank(String table) {
        assertThatThrownBy(() -> request(table)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table is required");
    }

    @Test
    void shouldRejectWhenColumnsAreMissingOrNotIdentifiers() {
        assertThatThrownBy(() -> new CollectionRequest("items", "items", null, "embedding", null, null, null, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id_column");
        assertThatThrownBy(() -> new CollectionRequest("items", "items", "id", "emb edding", null, null, null, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vector_column");
        assertThatThrownBy(() -> new CollectionRequest("items", "items", "id", "embedding", null, "ten-ant", null, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant_column");
        assertThatThrownBy(() -> new CollectionRequest("items", "items", "id", "embedding", null, null, List.of("ok", "not ok"), 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'not ok'");
    }

    @ParameterizedTest
    @CsvSource({"1, 64, index.m", "101, 64, index.m", "16, 3, index.ef_construction", "16, 1001, index.ef_construction"})
    void shouldRejectWhenIndexParametersAreOutOfRange(int m, int ef, String named) {
        assertThatThrownBy(() -> new CollectionRequest("items", "items", "id", "embedding", null, null, null, m, ef, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(named);
    }

    @Test
    void shouldRejectWhenPartitionsIsNegative() {
        assertThatThrownBy(() -> new CollectionRequest("items", "items", "id", "embedding", null, null, null, 0, 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions");
    }

    @ParameterizedTest
    @CsvSource({"l2, L2", "L2, L2", "euclidean, L2", "<->, L2", "cosine, COSINE", "<=>, COSINE", "ip, IP",
            "inner_product, IP", "<#>, IP", "l1, L1", "manhattan, L1", "<+>, L1", "' Cosine ', COSINE"})
    void shouldParseMetricWhenTextIsKnown(String text, Metric expected) {
        assertThat(CollectionRequest.metric(text)).isEqualTo(expected);
    }

    @Test
    void shouldListValidMetricsWhenTextIsUnknown() {
        assertThatThrownBy(() -> CollectionRequest.metric("foo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'foo'")
                .hasMessageContaining("l2").hasMessageContaining("cosine").hasMessageContaining("ip").hasMessageContaining("l1");
    }

    private static CollectionRequest request(String table) {
        return new CollectionRequest("items", table, "id", "embedding", null, null, null, 0, 0, 0);
    }
}
