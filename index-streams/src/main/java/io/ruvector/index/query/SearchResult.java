package io.ruvector.index.query;

import java.util.Arrays;
import java.util.Objects;

/**
 * Top-k hits of one partition-local search: row {@code ordinals} and their {@code distances},
 * parallel arrays of equal length sorted by ascending distance, ties broken by ascending ordinal,
 * NaN distances last (PostgreSQL sorts {@code float8} NaN above every number).
 *
 * <p>The arrays are owned by the result and must not be modified. {@code equals}/{@code hashCode}
 * compare contents (a record's default would compare array references).
 */
public record SearchResult(int[] ordinals, double[] distances) {

    /** No hits. */
    public static final SearchResult EMPTY = new SearchResult(new int[0], new double[0]);

    public SearchResult {
        Objects.requireNonNull(ordinals, "ordinals");
        Objects.requireNonNull(distances, "distances");
        if (ordinals.length != distances.length) {
            throw new IllegalArgumentException("ordinals (" + ordinals.length + ") and distances ("
                    + distances.length + ") differ in length");
        }
    }

    /** Number of hits. */
    public int size() {
        return ordinals.length;
    }

    /** Row ordinal of hit {@code i}. */
    public int ordinal(int i) {
        return ordinals[i];
    }

    /** Distance of hit {@code i}. */
    public double distance(int i) {
        return distances[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchResult other
                && Arrays.equals(ordinals, other.ordinals)
                && Arrays.equals(distances, other.distances);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ordinals) + Arrays.hashCode(distances);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SearchResult[");
        for (int i = 0; i < ordinals.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(ordinals[i]).append('=').append(distances[i]);
        }
        return sb.append(']').toString();
    }
}
