package io.ruvector.healing.learn;

/**
 * The learned weight of each strategy, consulted when choosing among the candidates for a
 * problem: the higher, the more it has helped lately. 1.0 when nothing was learned, so that an
 * untried strategy neither wins nor loses on its record alone.
 */
@FunctionalInterface
public interface StrategyWeights {

    /** Weights that have learned nothing: every strategy 1.0. */
    StrategyWeights NEUTRAL = strategy -> 1.0;

    double weight(String strategy);
}
