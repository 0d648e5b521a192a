package io.ruvector.index.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation messages and row semantics of {@link MetadataFilter}. */
class MetadataFilterTest {

    @Test
    void shouldRejectWithAClearMessageWhenTheFilterIsMalformed() {
        assertThatThrownBy(() -> MetadataFilter.in("cat", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'in' list for 'cat' is empty; it would match nothing");
        assertThatThrownBy(() -> MetadataFilter.in("cat", Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("filter value for 'cat' is null");
        assertThatThrownBy(() -> MetadataFilter.eq("cat", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("filter value for 'cat' is null");
        assertThatThrownBy(() -> MetadataFilter.range("year", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("range on 'year' has no bound; give gt, gte, lt or lte");
        assertThatThrownBy(() -> MetadataFilter.range("year", 2010, null, 2000, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("range on 'year' has lower bound 2010 above upper bound 2000");
        assertThatThrownBy(() -> MetadataFilter.range("year", null, "2000", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("range bound 'gte' of 'year' must be a number, was '2000'");
        assertThatThrownBy(() -> MetadataFilter.range("year", 1, 2, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both 'gt' and 'gte'");
        assertThatThrownBy(() -> MetadataFilter.range("score", Double.NaN, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("range bound 'gt' of 'score' is NaN");
        assertThatThrownBy(() -> MetadataFilter.eq("cat", List.of("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use string, long, double or boolean");
        assertThatThrownBy(() -> MetadataFilter.eq(" ", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("filter column name must not be blank");
    }

    @Test
    void shouldCompareNumbersByValueWhenTypesDiffer() {
        assertThat(MetadataFilter.eq("y", 2024).test(Map.of("y", 2024L))).isTrue();
        assertThat(MetadataFilter.eq("y", 2024).test(Map.of("y", 2024.0))).isTrue();
        assertThat(MetadataFilter.eq("y", 2024).test(Map.of("y", 2024.5))).isFalse();
        assertThat(MetadataFilter.eq("y", 2024.0f).test(Map.of("y", 2024L))).isTrue();
        assertThat(MetadataFilter.eq("y", "2024").test(Map.of("y", 2024L))).as("no string/number coercion").isFalse();
        // 2^53 + 1 is not representable as a double: comparing through doubles would call them equal.
        assertThat(MetadataFilter.eq("y", (1L << 53) + 1).test(Map.of("y", (double) (1L << 53)))).isFalse();
        assertThat(MetadataFilter.range("y", null, -2.5, null, null).test(Map.of("y", -2L))).isTrue();
        assertThat(MetadataFilter.range("y", null, null, -2.5, null).test(Map.of("y", -3L))).isTrue();
        assertThat(MetadataFilter.range("y", null, null, -2.5, null).test(Map.of("y", -2L))).isFalse();
    }

    @Test
    void shouldHonourInclusiveAndExclusiveBoundsWhenFilteringARange() {
        MetadataFilter closed = MetadataFilter.range("x", null, 1, null, 3);
        MetadataFilter open = MetadataFilter.range("x", 1, null, 3, null);
        for (long x = 0; x <= 4; x++) {
            Map<String, Object> row = Map.of("x", x);
            assertThat(closed.test(row)).as("1 <= %d <= 3", x).isEqualTo(x >= 1 && x <= 3);
            assertThat(open.test(row)).as("1 < %d < 3", x).isEqualTo(x > 1 && x < 3);
        }
        assertThat(MetadataFilter.range("x", null, 0, null, null).test(Map.of("x", -0.0))).isTrue();
    }

    @Test
    void shouldFollowPostgresqlWhenValuesAreNullMissingOrNaN() {
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("x", null);
        for (MetadataFilter filter : List.of(MetadataFilter.eq("x", 1), MetadataFilter.in("x", List.of(1)),
                MetadataFilter.range("x", null, null, 5, null))) {
            assertThat(filter.test(nullValue)).as("%s on NULL", filter).isFalse();
            assertThat(filter.test(Map.of())).as("%s on a missing column", filter).isFalse();
        }
        assertThat(MetadataFilter.range("x", 5, null, null, null).test(Map.of("x", Double.NaN))).as("NaN > 5").isTrue();
        assertThat(MetadataFilter.range("x", null, null, 5, null).test(Map.of("x", Double.NaN))).isFalse();
        assertThat(MetadataFilter.range("x", null, 1, null, null).test(Map.of("x", "a"))).as("not a number").isFalse();
        assertThat(MetadataFilter.eq("x", Double.NaN).test(Map.of("x", Double.NaN))).isTrue();
    }

    @Test
    void shouldFlattenAndDropMatchAllPartsWhenCombining() {
        MetadataFilter a = MetadataFilter.eq("a", "x");
        MetadataFilter b = MetadataFilter.in("b", List.of(1, 2));
        assertThat(MetadataFilter.and(a, MetadataFilter.and(b, MetadataFilter.all())))
                .isEqualTo(new MetadataFilter.And(List.of(a, b)));
        assertThat(MetadataFilter.and(a)).isSameAs(a);
        assertThat(MetadataFilter.and().matchesAll()).isTrue();
        assertThat(MetadataFilter.and(a, b).test(Map.of("a", "x", "b", 2L))).isTrue();
        assertThat(MetadataFilter.and(a, b).test(Map.of("a", "x", "b", 3L))).isFalse();
        assertThat(MetadataFilter.equalsAll(Map.of())).isEqualTo(MetadataFilter.all());
    }
}
