package io.ruvector.index.query;

import java.util.Objects;

/** IQv2 query: the exact top-k of one partition for {@code request}. */
public record KnnQuery(KnnRequest request) implements VectorIndexQuery<KnnResult> {

    public KnnQuery {
        Objects.requireNonNull(request, "request");
    }
}
