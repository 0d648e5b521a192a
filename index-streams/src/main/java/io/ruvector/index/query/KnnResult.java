package io.ruvector.index.query;

import java.util.List;
import java.util.Objects;

/**
 * The top hits of one partition (or, after {@link KnnMerger}, of all partitions), in
 * {@link KnnHit} order, with the watermark of the partition that answered ({@code -1} when
 * unknown or merged from several).
 *
 * @param hits      sorted hits, at most the request's {@code k}
 * @param watermark the answering partition's watermark LSN
 */
public record KnnResult(List<KnnHit> hits, long watermark) {

    public KnnResult {
        hits = List.copyOf(Objects.requireNonNull(hits, "hits"));
    }

    /** The hit ids in order: handy for comparisons. */
    public List<String> ids() {
        return hits.stream().map(KnnHit::id).toList();
    }
}
