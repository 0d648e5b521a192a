package io.ruvector.compose.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a registered table is asked of pgvector: literals, casts, quoting and operators. */
class PgTargetTest {

    @Test
    void shouldWriteLiteralsPgvectorParsesForEachColumnType() {
        PgTarget dense = new PgTarget("public.t", "id", "v", "vector(3)", 3, null, null);
        PgTarget sparse = new PgTarget("s.t", "id", "v", "sparsevec(4)", 4, null, null);
        PgTarget array = new PgTarget("t", "id", "v", "real[]", 2, null, null);
        assertThat(dense.literal(new float[] {1f, -0.5f, 1e-7f})).isEqualTo("[1.0,-0.5,1.0E-7]");
        assertThat(sparse.literal(new float[] {0f, 2f, 0f, 3.5f})).isEqualTo("{2:2.0,4:3.5}/4");
        assertThat(sparse.queryCast()).isEqualTo("::sparsevec");
        assertThat(array.vectorExpression()).isEqualTo("\"v\"::vector");
        assertThat(sparse.quotedTable()).isEqualTo("\"s\".\"t\"");
        assertThat(PgTarget.operator("cosine")).isEqualTo("<=>");
    }
}
