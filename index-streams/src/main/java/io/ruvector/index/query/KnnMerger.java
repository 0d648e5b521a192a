package io.ruvector.index.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Merges per-partition top-k lists into the global top-k. Each id lives in exactly one partition
 * (the key routes it), so the merge is a plain sort-and-cut, no de-duplication; the order is
 * {@link KnnHit}'s: distance ascending, NaN last, ties by id (PostgreSQL leaves ties unspecified,
 * a fixed order makes answers reproducible).
 */
public final class KnnMerger {

    private KnnMerger() {
    }

    /** The {@code k} best hits among {@code partials}; the merged watermark is {@code -1}, the strategies their union. */
    public static KnnResult merge(Collection<KnnResult> partials, int k) {
        Objects.requireNonNull(partials, "partials");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        List<KnnHit> all = new ArrayList<>();
        Set<SearchStrategy> strategies = EnumSet.noneOf(SearchStrategy.class);
        for (KnnResult partial : partials) {
            all.addAll(partial.hits());
            strategies.addAll(partial.strategies());
        }
        all.sort(null);
        return new KnnResult(all.size() > k ? all.subList(0, k) : all, -1L, strategies);
    }
}
