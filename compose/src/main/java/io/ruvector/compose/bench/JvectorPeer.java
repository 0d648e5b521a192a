package io.ruvector.compose.bench;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import io.ruvector.compose.dataset.VectorDataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Peer of {@code bench search}: jvector, the library our index builds on, with one graph over the
 * whole collection (no partitions) and its own searcher and kernels: what our index would do if
 * it were a single in-memory graph. Same M, construction beam, overflow and alpha as ours;
 * {@code ef_search} is jvector's {@code rerankK} (the beam), the answer its top k.
 */
final class JvectorPeer implements AutoCloseable {

    private static final VectorTypeSupport VECTORS = VectorizationProvider.getInstance().getVectorTypeSupport();

    private final ListRandomAccessVectorValues values;
    private final GraphIndexBuilder builder;
    private final ImmutableGraphIndex graph;

    private JvectorPeer(ListRandomAccessVectorValues values, GraphIndexBuilder builder) {
        this.values = values;
        this.builder = builder;
        this.graph = builder.getGraph();
    }

    /** Builds the graph over every row of {@code data} (node i is row id i + 1), in parallel. */
    static JvectorPeer build(VectorDataset data, int m, int efConstruction) {
        List<VectorFloat<?>> vectors = new ArrayList<>(data.size());
        for (float[] v : data.vectors()) {
            vectors.add(VECTORS.createFloatVector(v));
        }
        var values = new ListRandomAccessVectorValues(vectors, data.dimensions());
        BuildScoreProvider scores = BuildScoreProvider.randomAccessScoreProvider(values, VectorSimilarityFunction.EUCLIDEAN);
        // As our VectorGraph: degrees 2·m on layer 0 and m above, the same overflow and alpha.
        GraphIndexBuilder builder = GraphIndexBuilder.builder(scores, data.dimensions(), List.of(2 * m, m))
                .withBeamWidth(efConstruction).withNeighborOverflow(1.2f).withAlpha(1.2f).build();
        builder.build(values);
        return new JvectorPeer(values, builder);
    }

    /** One searcher per client thread (jvector's searcher holds its scratch). */
    Searcher searcher() {
        GraphSearcher searcher = new GraphSearcher(graph);
        return new Searcher() {
            @Override
            public List<String> search(float[] query, int k, int efSearch) {
                var provider = DefaultSearchScoreProvider.exact(VECTORS.createFloatVector(query),
                        VectorSimilarityFunction.EUCLIDEAN, values);
                SearchResult result = searcher.search(provider, k, Math.max(k, efSearch), 0f, 0f, Bits.ALL);
                List<String> ids = new ArrayList<>(k);
                for (SearchResult.NodeScore hit : result.getNodes()) {
                    ids.add(Long.toString(hit.node + 1L));
                }
                return ids;
            }

            @Override
            public void close() throws IOException {
                searcher.close();
            }
        };
    }

    /** jvector's estimate of the graph's heap, not counting the vectors. */
    long graphBytes() {
        return builder.getGraph().ramBytesUsed();
    }

    @Override
    public void close() throws IOException {
        builder.close();
    }
}
