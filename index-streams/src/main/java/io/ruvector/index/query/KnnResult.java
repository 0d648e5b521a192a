package io.ruvector.index.query;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The top hits of one partition (or, after {@link KnnMerger}, of all partitions), in
 * {@link KnnHit} order, with the watermark of the partition that answered ({@code -1} when
 * unknown or merged from several) and how it was searched.
 *
 * @param hits       sorted hits, at most the request's {@code k}
 * @param watermark  the answering partition's watermark LSN
 * @param strategies how the answering partitions searched: one for a partition, their union after a merge
 * @param transit    hits whose bucket is being handed between partitions, by id (empty outside a hand-off
 *                   and after a merge): {@link TransitMerge} settles them
 */
public record KnnResult(List<KnnHit> hits, long watermark, Set<SearchStrategy> strategies,
                        Map<String, TransitMark> transit) {

    public KnnResult {
        hits = List.copyOf(Objects.requireNonNull(hits, "hits"));
        strategies = Set.copyOf(Objects.requireNonNull(strategies, "strategies"));
        transit = transit == null ? Map.of() : Map.copyOf(transit);
    }

    /** A result without hits in transit. */
    public KnnResult(List<KnnHit> hits, long watermark, Set<SearchStrategy> strategies) {
        this(hits, watermark, strategies, Map.of());
    }

    /** This result with {@code marks} for its hits in transit. */
    public KnnResult withTransit(Map<String, TransitMark> marks) {
        return new KnnResult(hits, watermark, strategies, marks);
    }

    /** One partition's answer, searched with {@code strategy}. */
    public KnnResult(List<KnnHit> hits, long watermark, SearchStrategy strategy) {
        this(hits, watermark, Set.of(strategy));
    }

    /** The hit ids in order: handy for comparisons. */
    public List<String> ids() {
        return hits.stream().map(KnnHit::id).toList();
    }

    /** True when every answering partition returned its exact top-k (what HTTP reports as {@code exact}). */
    public boolean exact() {
        return strategies.stream().allMatch(SearchStrategy::exact);
    }
}
