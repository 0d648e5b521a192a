package io.ruvector.compose.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.compose.pgvector.PgKnn.Neighbour;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recall@k against pgvector's exact answer, fair to ties at the k-th distance. */
class RecallTest {

    private static Neighbour n(String id, double d) {
        return new Neighbour(id, d);
    }

    @Test
    void shouldCountIdsOfTheExactAnswerAndRowsTiedWithItsLast() {
        List<Neighbour> exact = List.of(n("a", 0.1), n("b", 0.2), n("c", 0.3), n("d", 0.4));
        assertThat(Recall.atK(exact, List.of(n("a", 0.1), n("b", 0.2), n("c", 0.3), n("d", 0.4)), 4)).isEqualTo(1.0);
        assertThat(Recall.atK(exact, List.of(n("a", 0.1), n("b", 0.2), n("c", 0.3), n("x", 0.4)), 4)).isEqualTo(1.0); // tie
        assertThat(Recall.atK(exact, List.of(n("a", 0.1), n("b", 0.2), n("c", 0.3), n("x", 0.41)), 4)).isEqualTo(0.75);
        assertThat(Recall.atK(exact, List.of(n("a", 0.1), n("a", 0.1), n("b", 0.2)), 4)).isEqualTo(0.5); // no double count
    }

    @Test
    void shouldDivideByWhatTheExactAnswerHasWhenFewerThanKRowsPass() {
        assertThat(Recall.atK(List.of(n("a", 1)), List.of(n("a", 1)), 10)).isEqualTo(1.0);
        assertThat(Recall.atK(List.of(), List.of(), 10)).isEqualTo(1.0);
        assertThat(Recall.atK(List.of(), List.of(n("z", 1)), 10)).isEqualTo(0.0);
        assertThat(Recall.atK(List.of(n("a", 1), n("b", 2)), List.of(), 10)).isEqualTo(0.0);
    }
}
