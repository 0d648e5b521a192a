package io.ruvector.index.graph;

import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.NodeQueue;
import io.github.jbellis.jvector.graph.NodesIterator;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.util.BoundedLongHeap;
import io.github.jbellis.jvector.util.FixedBitSet;
import io.github.jbellis.jvector.util.GrowableLongHeap;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * HNSW search over a jvector graph with scratch reused from one search to the next (one
 * instance per thread): greedy descent through the upper layers, then a best-first beam of
 * {@code ef} on layer 0 that stops when no unexpanded candidate can improve the results.
 * jvector's {@code GraphSearcher} does the same but allocates its scratch per searcher (a
 * visited hash set, three heaps), and a searcher per search was a measurable share of a
 * partition's search; sharing one across searches would need one per graph and thread.
 *
 * <p>It reads the graph's neighbour lists directly, not through a jvector view: a view checks,
 * for every neighbour, that its insertion had completed when the view was taken (one more random
 * read per neighbour, a fifth of a 128-dimension search's time), and under {@link VectorGraph}'s
 * locking no insertion runs while a search does (adds hold the owner's write lock, searches its
 * read lock), so every listed neighbour is complete.
 */
final class BeamSearch {

    private final NodeQueue candidates = new NodeQueue(new GrowableLongHeap(128), NodeQueue.Order.MAX_HEAP);
    private final NodeQueue results = new NodeQueue(new BoundedLongHeap(128), NodeQueue.Order.MIN_HEAP);
    private FixedBitSet visited = new FixedBitSet(1024);
    /** One expansion's neighbours and their scores (grown to the largest degree met). */
    private int[] nodes = new int[64];
    private float[] scores = new float[64];
    private final float[] four = new float[4];

    /** The ordinals of the {@code ef} accepted nodes most similar to the query found, best first. */
    int[] search(OnHeapGraphIndex graph, ScoreFunction scorer, int ef, IntPredicate accept) {
        ImmutableGraphIndex.NodeAtLevel entry = graph.entryNode();
        if (entry == null) {
            return new int[0];
        }
        BatchScoreFunction batch = scorer instanceof BatchScoreFunction b ? b : null;
        visited = FixedBitSet.ensureCapacity(visited, graph.getIdUpperBound());
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
                int count = neighbours(graph, level, current, false);
                score(scorer, batch, count);
                for (int i = 0; i < count; i++) {
                    if (scores[i] > currentScore) {
                        current = nodes[i];
                        currentScore = scores[i];
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
            int count = neighbours(graph, 0, candidates.pop(), true);
            score(scorer, batch, count);
            for (int i = 0; i < count; i++) { // in neighbour order, as one at a time: the same heaps
                float score = scores[i];
                if (results.size() < ef || score > results.topScore()) {
                    candidates.push(nodes[i], score);
                    if (accept.test(nodes[i])) {
                        results.push(nodes[i], score);
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

    /** Copies {@code node}'s neighbours on {@code level} to {@link #nodes} (with {@code unvisited}, only those not visited yet, marking them); returns how many. */
    private int neighbours(OnHeapGraphIndex graph, int level, int node, boolean unvisited) {
        NodesIterator it = graph.getNeighborsIterator(level, node);
        int count = 0;
        while (it.hasNext()) {
            int next = it.nextInt();
            if (unvisited && visited.getAndSet(next)) {
                continue;
            }
            if (count == nodes.length) {
                nodes = Arrays.copyOf(nodes, count * 2);
                scores = Arrays.copyOf(scores, count * 2);
            }
            nodes[count++] = next;
        }
        return count;
    }

    /**
     * Scores {@link #nodes}{@code [0..count)} into {@link #scores}: four rows per pass when the
     * scorer can (the walk waits on memory, and four rows keep four streams of loads in flight).
     */
    private void score(ScoreFunction scorer, BatchScoreFunction batch, int count) {
        int i = 0;
        if (batch != null) {
            for (; i + 4 <= count; i += 4) {
                batch.similarityTo4(nodes[i], nodes[i + 1], nodes[i + 2], nodes[i + 3], four);
                System.arraycopy(four, 0, scores, i, 4);
            }
            if (i < count) { // one to three left: one more pass, the last node repeated in the empty places
                int last = nodes[count - 1];
                batch.similarityTo4(nodes[i], i + 1 < count ? nodes[i + 1] : last, i + 2 < count ? nodes[i + 2] : last, last,
                        four);
                System.arraycopy(four, 0, scores, i, count - i);
                return;
            }
        }
        for (; i < count; i++) {
            scores[i] = scorer.similarityTo(nodes[i]);
        }
    }
}
