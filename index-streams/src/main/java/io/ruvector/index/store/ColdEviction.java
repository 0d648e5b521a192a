package io.ruvector.index.store;

/**
 * What moving idle rows of one collection to the cold tier did in one partition.
 *
 * @param rows         live rows moved to the cold tier now
 * @param retiredNodes deleted graph nodes (walked, never returned) compressed with them
 * @param bytesBefore  vector memory before
 * @param bytesAfter   vector memory after (hot matrix, codes, slot map)
 * @param coldRows     live rows cold afterwards
 */
public record ColdEviction(int rows, int retiredNodes, long bytesBefore, long bytesAfter, int coldRows) {

    /** Vector memory freed (negative when the tier's slot map cost more than it saved). */
    public long bytesSaved() {
        return bytesBefore - bytesAfter;
    }
}
