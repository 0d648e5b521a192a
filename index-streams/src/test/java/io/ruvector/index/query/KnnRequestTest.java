package io.ruvector.index.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.Metric;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link KnnRequest}: validation, the builder, and the first slice's constructor. */
class KnnRequestTest {

    private static final float[] V = {1f, 2f};

    @Test
    void shouldRejectWhenEfSearchIsOutOfRange() {
        assertThatThrownBy(() -> KnnRequest.builder("c", V).efSearch(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ef_search must be in 1..10000, was 0");
        assertThatThrownBy(() -> KnnRequest.builder("c", V).efSearch(KnnRequest.MAX_EF_SEARCH + 1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldUseDefaultsWhenTheBuilderIsGivenOnlyTheQuery() {
        KnnRequest request = KnnRequest.builder("c", V).build();
        assertThat(request.k()).isEqualTo(10);
        assertThat(request.metric()).isEqualTo(Metric.L2);
        assertThat(request.efSearch()).isNull();
        assertThat(request.exact()).isFalse();
        assertThat(request.filtered()).isFalse();
        assertThat(request.filter().matchesAll()).isTrue();
    }

    @Test
    void shouldTurnTheEqualityMapIntoAnAndOfEqualitiesWhenBuiltLikeTheFirstSlice() {
        KnnRequest request = new KnnRequest("c", V, 5, Metric.COSINE, "t", Map.of("lang", "en", "year", 2024));
        assertThat(request.equalsFilter()).isEqualTo(Map.of("lang", "en", "year", 2024L));
        assertThat(request.filtered()).isTrue();
        assertThat(request.accepts("t", Map.of("lang", "en", "year", 2024L))).isTrue();
        assertThat(request.accepts("u", Map.of("lang", "en", "year", 2024L))).isFalse();
        assertThat(request.accepts("t", Map.of("lang", "de", "year", 2024L))).isFalse();
        assertThat(KnnRequest.builder("c", V).filter(MetadataFilter.in("lang", List.of("en"))).build().equalsFilter())
                .isEmpty();
    }

    @Test
    void shouldReportExactOnlyWhenEveryPartitionWasExactAfterAMerge() {
        KnnHit a = new KnnHit("a", 1, Map.of());
        KnnHit b = new KnnHit("b", 2, Map.of());
        KnnResult merged = KnnMerger.merge(List.of(new KnnResult(List.of(b), 5, SearchStrategy.EXACT),
                new KnnResult(List.of(a), 6, SearchStrategy.GRAPH)), 1);
        assertThat(merged.ids()).containsExactly("a");
        assertThat(merged.strategies()).containsExactlyInAnyOrder(SearchStrategy.EXACT, SearchStrategy.GRAPH);
        assertThat(merged.exact()).isFalse();
        assertThat(KnnMerger.merge(List.of(new KnnResult(List.of(a), 5, SearchStrategy.EXACT_SELECTIVE_FILTER)), 1)
                .exact()).isTrue();
    }
}
