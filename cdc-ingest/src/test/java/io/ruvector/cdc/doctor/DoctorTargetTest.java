package io.ruvector.cdc.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DoctorTargetTest {

    @Test
    void shouldSplitSchemaTableAndColumnWhenSpecIsQualified() {
        DoctorTarget t = DoctorTarget.parse("public.items:embedding");

        assertThat(t.schemaName()).isEqualTo("public");
        assertThat(t.tableName()).isEqualTo("items");
        assertThat(t.columnName()).isEqualTo("embedding");
        assertThat(t.qualifiedSql()).isEqualTo("public.items");
    }

    @Test
    void shouldDefaultToPublicAndFoldCaseWhenUnqualifiedAndUnquoted() {
        DoctorTarget t = DoctorTarget.parse("Items:Embedding");

        assertThat(t.displayName()).isEqualTo("public.items");
        assertThat(t.columnName()).isEqualTo("embedding");
    }

    @Test
    void shouldKeepCaseAndQuoteInSqlWhenNamesAreQuoted() {
        DoctorTarget t = DoctorTarget.parse("\"My.Schema\".\"Items\":\"Emb\"");

        assertThat(t.schemaName()).isEqualTo("My.Schema");
        assertThat(t.tableName()).isEqualTo("Items");
        assertThat(t.columnName()).isEqualTo("Emb");
        assertThat(t.qualifiedSql()).isEqualTo("\"My.Schema\".\"Items\"");
    }

    @Test
    void shouldQuoteReservedWordsWhenPrintingSql() {
        assertThat(Sql.ident("user")).isEqualTo("\"user\"");
        assertThat(Sql.ident("ruvector")).isEqualTo("ruvector");
        assertThat(Sql.literal("it's")).isEqualTo("'it''s'");
    }

    @Test
    void shouldFailNamingTheFormWhenColumnIsMissing() {
        assertThatThrownBy(() -> DoctorTarget.parse("public.items"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema.table:vector_column");
        assertThatThrownBy(() -> DoctorTarget.parse("public.items:"))
                .hasMessageContaining("schema.table:vector_column");
    }

    @Test
    void shouldEstimateToastSizeWhenDimensionsKnown() {
        assertThat(VectorColumnCheck.approximateBytes("vector", 1536)).isEqualTo(6152);
        assertThat(VectorColumnCheck.approximateBytes("halfvec", 1536)).isEqualTo(3080);
        assertThat(VectorColumnCheck.approximateBytes("vector", -1)).isEqualTo(-1);
        assertThat(ExtensionCheck.compareVersions("0.6.2", ExtensionCheck.MIN_FULL_VERSION)).isNegative();
        assertThat(ExtensionCheck.compareVersions("0.8.0", ExtensionCheck.MIN_FULL_VERSION)).isPositive();
        assertThat(ExtensionCheck.compareVersions("0.7.0", ExtensionCheck.MIN_FULL_VERSION)).isZero();
    }
}
