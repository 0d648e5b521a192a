package io.ruvector.index.graph;

/**
 * The vectors a {@link VectorGraph} links, owned by the caller: row {@code r} of a flat row-major
 * matrix is graph node {@code r}. The graph keeps no copy of any vector; it reads
 * {@link #matrix()} on every use, so the owner may replace the array when it grows, as long as it
 * never does so while a graph operation runs (the store's lock guarantees that).
 *
 * <p>A deleted node's row must keep its vector until {@link VectorGraph#removeDeleted()} has
 * unlinked it: searches still traverse deleted nodes and score them.
 */
public interface VectorSource {

    /** The current matrix; row {@code r} is {@code matrix()[r*dims() .. (r+1)*dims())}. */
    float[] matrix();

    /** Components per row. */
    int dims();
}
