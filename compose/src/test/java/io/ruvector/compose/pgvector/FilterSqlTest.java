package io.ruvector.compose.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The search API's filter as SQL: the same question asked of pgvector, with every value a parameter. */
class FilterSqlTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldRenderEqualityInAndRangesWithQuotedColumnsAndParameters() throws Exception {
        FilterSql sql = FilterSql.of(json.readTree(
                "{\"lang\": \"en\", \"year\": {\"gte\": 2020, \"lt\": 2025.5}, \"tag\": {\"in\": [\"a\", 3]}, \"ok\": true}"),
                "org", "acme");
        assertThat(sql.sql()).isEqualTo("\"org\"::text = ? AND \"lang\"::text = ? AND \"year\" >= ? AND \"year\" < ? AND "
                + "(\"tag\"::text = ? OR \"tag\" = ?) AND \"ok\" = ?");
        assertThat(sql.params()).isEqualTo(List.of("acme", "en", 2020L, 2025.5, "a", 3L, true));
    }

    @Test
    void shouldSelectEverythingWithoutFilterOrTenantAndRefuseShapesTheApiRefuses() throws Exception {
        assertThat(FilterSql.of(null, null, null)).isEqualTo(new FilterSql("TRUE", List.of()));
        assertThat(FilterSql.of(json.readTree("{\"x\\\"; DROP TABLE t; --\": 1}"), null, null).sql())
                .isEqualTo("\"x\"\"; DROP TABLE t; --\" = ?");
        assertThatThrownBy(() -> FilterSql.of(json.readTree("{\"a\": {\"in\": []}}"), null, null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> FilterSql.of(json.readTree("{\"a\": {\"gt\": \"x\"}}"), null, null))
                .hasMessageContaining("must be a number");
        assertThatThrownBy(() -> FilterSql.of(json.readTree("[1]"), null, null)).hasMessageContaining("JSON object");
    }
}
