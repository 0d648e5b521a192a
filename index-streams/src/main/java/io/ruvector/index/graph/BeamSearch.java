package io.ruvector.index.graph;

import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.NodeQueue;
import io.github.jbellis.jvector.graph.NodesIterator;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.util.BoundedLongHeap;
import io.github.jbellis.jvector.util.FixedBitSet;
import io.github.jbellis.jvector.util.GrowableLongHeap;
import java.util.function.IntPredicate;

/**
 * HNSW search over a jvector graph view with scratch reused from one search to the next (one
 * instance per thread): greedy descent through the upper layers, then a best-first beam of
 * {@code ef} on layer 0 that stops when no unexpanded candidate can improve the results.
 * jvector's {@code GraphSearcher} does the same but allocates its scratch per searcher (a
 * visited hash set, three heaps), and a searcher per search was a measurable share of a
 * partition's search; sharing one across searches would need one per graph and thread.
 */
final class BeamSearch {

    private final NodeQueue candidates = new NodeQueue(new GrowableLongHeap(128), NodeQueue.Order.MAX_HEAP);
    private final NodeQueue results = new NodeQueue(new BoundedLongHeap(128), NodeQueue.Order.MIN_HEAP);
    private FixedBitSet visited = new FixedBitSet(1024);

    /** The ordinals of the {@code ef} accepted nodes most similar to the query found, best first. */
    int[] search(ImmutableGraphIndex.View view, ScoreFunction scorer, int ef, IntPredicate accept) {
        ImmutableGraphIndex.NodeAtLevel entry = view.entryNode();
        if (entry == null) {
            return new int[0];
        }
        visited = FixedBitSet.ensureCapacity(visited, view.getIdUpperBound());
        visited.clear();
        candidates.clear();
        results.clear();
        results.setMaxSize(ef);

        int current = entry.node;
        float currentScore = scorer.similarityTo(current);
        for (int level = entry.level; level > 0; level--) {
            boolean moved = true;
            while (moved) { // greedy: follow the best neighbour until none is closer
                moved = false;
                NodesIterator neighbours = view.getNeighborsIterator(level, current);
                while (neighbours.hasNext()) {
                    int node = neighbours.nextInt();
                    float score = scorer.similarityTo(node);
                    if (score > currentScore) {
                        current = node;
                        currentScore = score;
                        moved = true;
                    }
                }
            }
        }

        visited.set(current);
        candidates.push(current, currentScore);
        if (accept.test(current)) {
            results.push(current, currentScore);
        }
        while (candidates.size() > 0) {
            float best = candidates.topScore();
            if (results.size() >= ef && best < results.topScore()) {
                break;
            }
            int node = candidates.pop();
            NodesIterator neighbours = view.getNeighborsIterator(0, node);
            while (neighbours.hasNext()) {
                int next = neighbours.nextInt();
                if (visited.getAndSet(next)) {
                    continue;
                }
                float score = scorer.similarityTo(next);
                if (results.size() < ef || score > results.topScore()) {
                    candidates.push(next, score);
                    if (accept.test(next)) {
                        results.push(next, score);
                    }
                }
            }
        }

        int[] ordinals = new int[results.size()];
        for (int i = ordinals.length - 1; i >= 0; i--) { // the min-heap pops worst first
            ordinals[i] = results.pop();
        }
        return ordinals;
    }
}
