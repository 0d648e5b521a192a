package io.ruvector.index.store;

/**
 * What one tier pass moved in a partition.
 *
 * @param demoted  live rows that went to int8 codes (idle past the policy's hot time)
 * @param promoted compressed rows brought back to float32 because they were returned or written
 */
public record TierMoves(int demoted, int promoted) {

    public static final TierMoves NONE = new TierMoves(0, 0);

    public boolean isEmpty() {
        return demoted == 0 && promoted == 0;
    }
}
