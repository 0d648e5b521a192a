package io.ruvector.index.graph;

import io.ruvector.index.kernel.ScalarQuantizer;

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

    /**
     * The current matrix; row {@code r} is {@code matrix()[r*dims() .. (r+1)*dims())} unless
     * {@link #compressed()} maps nodes to other rows.
     */
    float[] matrix();

    /** Components per row. */
    int dims();

    /**
     * How nodes map to storage when some are held compressed (the cold tier), or null when node
     * {@code r} is matrix row {@code r}. Read once per operation, like {@link #matrix()}.
     */
    default CompressedRows compressed() {
        return null;
    }

    /**
     * The storage of a source that holds some nodes as int8 codes: node {@code n} is matrix row
     * {@code slots[n]} when that is {@code >= 0}, else the code row {@code ~slots[n]} of
     * {@code codes} (each {@code dims} bytes, see {@link ScalarQuantizer}). The graph walks
     * compressed nodes on their approximate scores; the owner re-scores what it returns.
     */
    record CompressedRows(int[] slots, byte[] codes, ScalarQuantizer quantizer) {
    }
}
