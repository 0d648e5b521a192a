package io.ruvector.compose.pgvector;

import io.ruvector.compose.pgvector.PgKnn.Neighbour;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recall@k of an answer against pgvector's exact one, fair to ties: a returned row counts when
 * it is in the exact top-k, or when its distance is no larger than the exact k-th distance (a
 * row tied with the k-th is as right as the one pgvector happened to list). The denominator is
 * the exact answer's size (fewer than k when fewer rows pass the filter).
 */
public final class Recall {

    /** Relative slack for "no larger": the index and pgvector round float32 sums differently. */
    public static final double TIE_SLACK = 1e-5;

    private Recall() {
    }

    /** Recall of {@code answer}'s first {@code k} hits; 1 when the exact answer is empty and so is the answer. */
    public static double atK(List<Neighbour> exact, List<Neighbour> answer, int k) {
        List<Neighbour> truth = exact.subList(0, Math.min(k, exact.size()));
        if (truth.isEmpty()) {
            return answer.isEmpty() ? 1.0 : 0.0;
        }
        Set<String> ids = new HashSet<>();
        truth.forEach(n -> ids.add(n.id()));
        double kth = truth.getLast().distance();
        double bound = kth + Math.abs(kth) * TIE_SLACK + 1e-9;
        Set<String> counted = new HashSet<>();
        int hits = 0;
        for (Neighbour n : answer.subList(0, Math.min(k, answer.size()))) {
            if (counted.add(n.id()) && (ids.contains(n.id()) || n.distance() <= bound)) {
                hits++;
            }
        }
        return Math.min(1.0, hits / (double) truth.size());
    }
}
