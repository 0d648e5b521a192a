package io.ruvector.compose.bench;

import java.util.List;

/** One client's way to ask a k-NN question: pgvector over JDBC, our index in-process or over HTTP. */
interface Searcher extends AutoCloseable {

    /** The ids of the {@code k} nearest rows to {@code query}, searching with {@code efSearch} candidates. */
    List<String> search(float[] query, int k, int efSearch) throws Exception;

    @Override
    default void close() throws Exception {
    }

    /** Opens one {@link Searcher} per client thread (a JDBC connection is not shareable). */
    @FunctionalInterface
    interface Factory {
        Searcher open() throws Exception;
    }
}
