package io.ruvector.index.graph;

import io.github.jbellis.jvector.graph.similarity.ScoreFunction;

/**
 * Scores of nodes against one query that can also score four nodes in one pass over their rows
 * ({@link BeamSearch} scores a node's unvisited neighbours so). One instance per search and
 * thread: it may keep scratch.
 */
interface BatchScoreFunction extends ScoreFunction.ExactScoreFunction {

    /** {@link #similarityTo} of nodes {@code a}, {@code b}, {@code c}, {@code d}, into {@code out[0..4)}. */
    void similarityTo4(int a, int b, int c, int d, float[] out);
}
