package io.ruvector.index.query;

import java.util.Objects;

/** IQv2 query: the top-k of one partition for {@code request} (exact or graph, see {@link KnnResult#strategies()}). */
public record KnnQuery(KnnRequest request) implements VectorIndexQuery<KnnResult> {

    public KnnQuery {
        Objects.requireNonNull(request, "request");
    }
}
