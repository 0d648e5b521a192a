package io.ruvector.integrity.mincut;

import static io.ruvector.integrity.mincut.FastMinCutTest.graph;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ruvector.integrity.graph.OperationalGraph;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NormalisedLambdaTest {

    private final FastMinCut fast = new FastMinCut();

    @Test
    void shouldBeOneWhenEveryCapacityIsFull() {
        NormalisedLambda lambda = NormalisedLambda.of(graph(4, 0, 1, 1, 1, 2, 1, 2, 3, 1, 3, 0, 1), fast);
        assertThat(lambda.lambda()).isEqualTo(1.0);
        assertThat(lambda.unitCutValue()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void shouldBeTheRatioToTheUnitCutWhenCapacitiesAreDegraded() {
        NormalisedLambda lambda = NormalisedLambda.of(graph(4, 0, 1, 0.5, 1, 2, 0.5, 2, 3, 0.5, 3, 0, 0.5), fast);
        assertThat(lambda.cutValue()).isCloseTo(1.0, within(1e-12));
        assertThat(lambda.lambda()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void shouldBeZeroWhenTopologyIsAlreadyDisconnected() {
        NormalisedLambda lambda = NormalisedLambda.of(graph(4, 0, 1, 1, 2, 3, 1), fast);
        assertThat(lambda.lambda()).isZero();
        assertThat(lambda.unitCutValue()).isZero();
    }

    @Test
    void shouldBeOneWhenGraphHasASingleNode() {
        assertThat(NormalisedLambda.of(graph(1), fast).lambda()).isEqualTo(1.0);
    }

    @Test
    void shouldStayWithinZeroAndOneWhenGraphsAreRandom() {
        long seed = RandomGraphs.seed("shouldStayWithinZeroAndOneWhenGraphsAreRandom");
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 300; i++) {
            OperationalGraph g = RandomGraphs.random(2 + random.nextInt(30), random);
            NormalisedLambda lambda = NormalisedLambda.of(g, fast);
            assertThat(lambda.lambda()).as("graph #%d seed %d", i, seed).isBetween(0.0, 1.0);
            assertThat(lambda.lambda() > 0).as("graph #%d seed %d", i, seed).isEqualTo(lambda.cutValue() > 0);
        }
    }
}
