package io.ruvector.index.graph;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.NodeArray;
import io.github.jbellis.jvector.graph.NodesIterator;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.diversity.VamanaDiversityProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.util.SparseFixedBitSet;
import io.ruvector.index.kernel.VectorDistance;
import io.ruvector.index.kernel.VectorDistances;
import io.ruvector.schemas.Metric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * One collection's HNSW graph in one partition: jvector's {@link GraphIndexBuilder} (a Vamana
 * graph with an HNSW hierarchy on top) over the rows of a {@link VectorSource}; node id = row
 * ordinal, and the caller owns the id ↔ ordinal map. Only this package touches jvector.
 *
 * <p><b>Threads.</b> jvector allows concurrent {@link #add}s and concurrent searches, but
 * {@link #removeDeleted()} must never overlap either, and a search must not see a half-linked
 * node. The owner therefore runs {@link #add}, {@link #markDeleted} and {@link #removeDeleted}
 * under its write lock and {@link #search} under its read lock; only {@link #addAll} adds in
 * parallel, itself under the write lock. So a search never meets a half-linked node and reads the
 * neighbour lists directly (no jvector view, which would check each neighbour's completion), with
 * its thread's reused scratch.
 *
 * <p><b>Traversal codes.</b> With {@link HnswSettings#traversalCodesMinDims()} at or below the
 * dimension, searches walk on 4-bit or int8 codes of the nodes ({@link TraversalCodes}, see
 * {@link HnswSettings#traversalCodeBits()}), kept beside the caller's vectors; inserts still link
 * on float32 scores.
 *
 * <p><b>Deletes.</b> {@link #markDeleted} only flags the node: searches still traverse it (the
 * graph stays connected) but never return it. {@link #removeDeleted} unlinks flagged nodes and
 * repairs their neighbours' links; only after it may the owner reuse their ordinals.
 */
public final class VectorGraph implements AutoCloseable {

    private final GraphParams params;
    private final GraphSimilarity similarity;
    private final MatrixScoreProvider scores;
    private final GraphIndexBuilder builder;
    /** Codes searches walk on; null when the graph walks on float32 (see {@link HnswSettings#traversalCodesMinDims()}). */
    private final TraversalCodes codes;
    private int deleted;
    /** Search scratch per thread: searches run concurrently under the owner's read lock. */
    private final ThreadLocal<BeamSearch> searchers = ThreadLocal.withInitial(BeamSearch::new);

    /** A graph over {@code vectors}: empty, or the one {@link #save} wrote to {@code saved} (null for none). */
    private VectorGraph(VectorSource vectors, GraphParams params, HnswSettings settings, VectorDistance kernel,
                        java.nio.ByteBuffer saved) throws IOException {
        this.params = params;
        this.similarity = GraphSimilarity.of(params.metric());
        this.scores = new MatrixScoreProvider(vectors, similarity, kernel);
        this.codes = settings.traversalCodes(vectors.dims()) ? new TraversalCodes(vectors.dims(), settings.traversalCodeBits(), similarity)
                : null;
        ForkJoinPool pool = ForkJoinPool.commonPool();
        GraphIndexBuilder.Builder configured;
        if (saved == null) {
            // Degrees per layer as in pgvector: 2·m links on layer 0, m above (two entries make jvector
            // build the hierarchy whatever its JMX default says).
            configured = GraphIndexBuilder.builder(scores, vectors.dims(), List.of(2 * params.m(), params.m()));
        } else {
            // the links keep their saved scores; later inserts' diversity checks score as a new builder's would
            var loaded = OnHeapGraphIndex.load(new io.github.jbellis.jvector.disk.ByteBufferReader(saved.slice()),
                    vectors.dims(), settings.neighborOverflow(), new VamanaDiversityProvider(scores, settings.alpha()));
            configured = GraphIndexBuilder.builder(scores, vectors.dims(), loaded);
        }
        this.builder = configured
                .withBeamWidth(params.efConstruction())
                .withNeighborOverflow(settings.neighborOverflow())
                .withAlpha(settings.alpha())
                .withSimdExecutor(pool)
                .withParallelExecutor(pool)
                .build();
    }

    /**
     * An empty graph over {@code vectors}, scored with the JVM's kernels.
     *
     * @throws IllegalArgumentException when {@code params} name L1, which no graph serves
     */
    public static VectorGraph create(VectorSource vectors, GraphParams params, HnswSettings settings) {
        Objects.requireNonNull(vectors, "vectors");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(settings, "settings");
        try {
            return new VectorGraph(vectors, params, settings, VectorDistances.get(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // nothing is read without a saved graph
        }
    }

    public GraphParams params() {
        return params;
    }

    /** The metric the graph ranks by; other metrics must search exactly. */
    public Metric metric() {
        return params.metric();
    }

    /** Links row {@code ordinal} (whose vector must be in the matrix already) into the graph. */
    public void add(int ordinal) {
        addAll(new int[] {ordinal});
    }

    /** Links many rows at once, in parallel on the common pool (jvector's inserts are concurrent-safe). */
    public void addAll(int[] ordinals) {
        if (ordinals.length == 0) {
            return;
        }
        if (codes == null) {
            IntStream.of(ordinals).parallel().forEach(this::link);
        } else {
            prepareCodes(ordinals);
            IntStream.of(ordinals).parallel().forEach(o -> encodeAndLink(o, new float[scores.dims()]));
        }
        unlinkSelves(ordinals);
    }

    /**
     * Drops the links from a node to itself that concurrent inserts can leave on the upper layers.
     * jvector 4.0.2 searches a layer above 0 for a new node's neighbours accepting every live
     * node, the new one included. A fresh node stays invisible to that search until complete, but
     * a reused id (the owner reuses ordinals after {@link #removeDeleted}) keeps its old completion
     * time: once a concurrent insert links it, the search finds it and links it to itself (an
     * assertion in jvector, a wasted link slot without one). Layer 0 excludes the node. Rare, so the
     * check is one neighbour scan per upper layer of each added node (a few percent of them).
     */
    void unlinkSelves(int[] added) {
        OnHeapGraphIndex mutable = graph();
        for (int node : added) {
            for (int level = 1; level <= mutable.getMaxLevelForNode(node); level++) {
                if (linksToItself(mutable, level, node)) {
                    var self = new SparseFixedBitSet(mutable.getIdUpperBound());
                    self.set(node);
                    mutable.replaceDeletedNeighbors(level, node, self, new NodeArray(0));
                }
            }
        }
    }

    /** The nodes on layer 1, which holds every node of the layers above 0. */
    private int[] nodesAboveLayer0() {
        OnHeapGraphIndex graph = graph();
        if (graph.getMaxLevel() < 1) {
            return new int[0];
        }
        return graph.nodeStream(1).toArray();
    }

    private static boolean linksToItself(OnHeapGraphIndex graph, int level, int node) {
        for (var it = graph.getNeighborsIterator(level, node); it.hasNext(); ) {
            if (it.nextInt() == node) {
                return true;
            }
        }
        return false;
    }

    /** Nodes linked to themselves on any layer; zero after every {@link #addAll} (a check for tests). */
    public int selfLinks() {
        OnHeapGraphIndex graph = graph();
        int found = 0;
        for (int level = 0; level <= graph.getMaxLevel(); level++) {
            for (var nodes = graph.getNodes(level); nodes.hasNext(); ) {
                if (linksToItself(graph, level, nodes.nextInt())) {
                    found++;
                }
            }
        }
        return found;
    }

    private void link(int ordinal) {
        builder.addGraphNode(ordinal, scores.searchProviderFor(ordinal));
    }

    /**
     * Encodes the row, then links it as jvector links under its quantised build: the insert's
     * search walks the traversal codes, like a query, and its beam on layer 0 is re-scored exactly
     * before jvector picks the neighbours (and its diversity checks score exactly). At 784
     * dimensions the float32 walk was four fifths of the build's time.
     */
    private void encodeAndLink(int ordinal, float[] scratch) {
        codes.encode(ordinal, scores, scratch); // leaves the row in scratch, which this insert owns
        builder.addGraphNode(ordinal, new DefaultSearchScoreProvider(codes.scores(scratch), scores.queryScores(scratch)));
    }

    /** Room for {@code adding}'s codes, and a (re)fit first when the codes are missing or stale. */
    private void prepareCodes(int[] adding) {
        int bound = 0;
        for (int ordinal : adding) {
            bound = Math.max(bound, ordinal + 1);
        }
        var graph = builder.getGraph();
        bound = Math.max(bound, graph.getIdUpperBound());
        codes.prepare(bound);
        int nodes = graph.size(0) + adding.length;
        if (codes.needsFit(nodes)) {
            int[] existing = existingNodes();
            int[] candidates = Arrays.copyOf(existing, existing.length + adding.length);
            System.arraycopy(adding, 0, candidates, existing.length, adding.length);
            codes.refit(candidates, nodes, scores, existing);
        }
    }

    private int[] existingNodes() {
        var graph = builder.getGraph();
        int[] nodes = new int[graph.size(0)];
        int count = 0;
        for (var it = graph.getNodes(0); it.hasNext() && count < nodes.length; ) {
            nodes[count++] = it.nextInt();
        }
        return count == nodes.length ? nodes : Arrays.copyOf(nodes, count);
    }

    /** Flags {@code ordinal} deleted: never returned again, still traversed until {@link #removeDeleted()}. */
    public void markDeleted(int ordinal) {
        builder.markNodeDeleted(ordinal);
        deleted++;
        var entry = graph().entryNode();
        if (entry != null && entry.node == ordinal) {
            moveEntryOffDeleted(entry.level);
        }
    }

    /**
     * Makes a live node the entry, from the highest layer that has one. jvector 4.0.2's insert
     * search accepts only live nodes on the layers above 0 and starts each layer from the one
     * above's results: from a deleted entry with no live node near it up there, an insert found
     * no neighbour at all, and a whole batch of 256 rows was linked to nothing, unreachable by any
     * search until a cleanup chose a new entry (seen as graph recall 0.80–0.84 in about 1 % of
     * {@code GraphSnapshotTest} runs; {@code EntryNodeTest}). Searches still pass through deleted
     * nodes, so a live entry on a lower layer loses no reach.
     */
    private void moveEntryOffDeleted(int fromLevel) {
        OnHeapGraphIndex graph = graph();
        var deletedNodes = graph.getDeletedNodes();
        for (int level = fromLevel; level >= 0; level--) {
            for (var it = graph.getNodes(level); it.hasNext(); ) {
                int node = it.nextInt();
                if (!deletedNodes.get(node)) {
                    builder.setEntryPoint(level, node);
                    return;
                }
            }
        }
        // every node is deleted: the entry stays, and the next insert's search finds nothing to link to anyway
    }

    /** Nodes flagged deleted and not yet removed. */
    public int deletedNodes() {
        return deleted;
    }

    /** Nodes in the graph, deleted ones included. */
    public int nodes() {
        return builder.getGraph().size(0);
    }

    /**
     * Unlinks every flagged node, reconnecting its neighbours among themselves, and returns how
     * many were removed. Their ordinals are free for reuse afterwards.
     */
    public int removeDeleted() {
        int removed = deleted;
        if (removed > 0) {
            builder.removeDeletedNodes();
            deleted = 0;
        }
        return removed;
    }

    /**
     * Writes the traversal codes, then the graph's links in the layout of jvector's
     * {@code OnHeapGraphIndex.save} (version 4: layers, degrees, entry node, then per layer each
     * node's neighbour list with each link's score, best first). jvector's own {@code save} would
     * first demand its full {@code cleanup()}, an O(n) pass of searches that also drops the
     * deleted nodes this graph keeps until its owner cleans up; deleted flags are not written, the
     * owner records them. The lists are written as the graph holds them, scores included
     * ({@link StoredLinks}), so {@link #load} rebuilds this very graph without scoring; where that
     * cannot be read, each link is scored exactly and the list sorted (one float32 score per link:
     * at 784 dimensions most of a snapshot's time). Nothing may be added while it runs.
     */
    public void save(java.io.DataOutput out) throws IOException {
        OnHeapGraphIndex graph = graph();
        if (codes == null) {
            out.writeByte(0);
        } else {
            codes.save(out, graph.getIdUpperBound());
        }
        int maxLevel = graph.getMaxLevel();
        int layers = Math.max(maxLevel + 1, graph.maxDegrees().size());
        out.writeInt(SAVED_GRAPH_MAGIC);
        out.writeInt(SAVED_GRAPH_VERSION);
        out.writeInt(layers);
        for (int level = 0; level < layers; level++) {
            out.writeInt(graph.getDegree(level));
        }
        StoredLinks stored = StoredLinks.of(graph);
        try (var view = graph.getView()) {
            var entry = view.entryNode();
            out.writeInt(entry == null ? -1 : entry.node);
            java.nio.ByteBuffer list = java.nio.ByteBuffer.allocate(0);
            for (int level = 0; level < layers; level++) {
                if (level > maxLevel) {
                    out.writeInt(0);
                    continue;
                }
                out.writeInt(graph.size(level));
                for (var nodes = graph.getNodes(level); nodes.hasNext(); ) {
                    int node = nodes.nextInt();
                    NodeArray links = stored != null ? stored.neighbours(level, node)
                            : exactlyScored(node, view.getNeighborsIterator(level, node));
                    int count = links.size();
                    if (list.capacity() < 8 + 8 * count) {
                        list = java.nio.ByteBuffer.allocate(8 + 8 * count);
                    }
                    list.clear();
                    list.putInt(node).putInt(count);
                    for (int i = 0; i < count; i++) {
                        list.putInt(links.getNode(i)).putFloat(links.getScore(i));
                    }
                    out.write(list.array(), 0, list.position());
                }
            }
        }
    }

    /** {@code node}'s neighbours with their exact scores, best first (where jvector's stored scores cannot be read). */
    private NodeArray exactlyScored(int node, NodesIterator neighbours) {
        var score = scores.diversityScoreFunctionFor(node);
        NodeArray scored = new NodeArray(neighbours.size());
        while (neighbours.hasNext()) {
            int id = neighbours.nextInt();
            scored.insertSorted(id, score.similarityTo(id));
        }
        return scored;
    }

    /** jvector's on-heap graph file header ({@code OnHeapGraphIndex.MAGIC}, format version 4). */
    private static final int SAVED_GRAPH_MAGIC = 0x75EC4012;
    private static final int SAVED_GRAPH_VERSION = 4;

    /**
     * A graph over {@code vectors} with the traversal codes, links and scores {@link #save} wrote,
     * read from {@code saved} (positioned at the graph; read to its end). Nothing is scored,
     * encoded or re-linked: in a fresh JVM re-scoring each link ran interpreted and was most of
     * a restart's graph load. The codes are fitted and encoded again only when the setting no
     * longer allows the saved ones. The matrix must already hold every node's vector.
     */
    public static VectorGraph load(VectorSource vectors, GraphParams params, HnswSettings settings,
                                   java.nio.ByteBuffer saved) throws IOException {
        TraversalCodes.Saved savedCodes = TraversalCodes.read(saved, vectors.dims());
        VectorGraph graph = new VectorGraph(vectors, params, settings, VectorDistances.get(), saved);
        try {
            graph.unlinkSelves(graph.nodesAboveLayer0()); // a snapshot saved before such links were removed
            int bound = graph.builder.getGraph().getIdUpperBound();
            if (graph.codes != null && !graph.codes.restore(savedCodes, bound)) {
                int[] nodes = graph.existingNodes();
                if (nodes.length > 0) {
                    graph.codes.prepare(bound);
                    graph.codes.refit(nodes, nodes.length, graph.scores, nodes);
                }
            }
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
        return graph;
    }

    /** jvector's estimate of the graph's heap (links and bookkeeping, not the vectors), plus the traversal codes. */
    public long ramBytesUsed() {
        return builder.ramBytesUsed() + (codes == null ? 0 : codes.ramBytesUsed());
    }

    /** Frees the traversal codes' room beyond nodes {@code 0..nodeBound)}; every node id must be below it. */
    public void trimCodes(int nodeBound) {
        if (codes != null) {
            codes.trim(Math.max(nodeBound, builder.getGraph().getIdUpperBound()));
        }
    }

    /** Bits per component of the codes searches walk on: 8 or 4 (chosen at each fit of the codes), 0 on float32. */
    public int traversalCodeBits() {
        return codes == null ? 0 : codes.bitsInUse();
    }

    /** Fits of the traversal codes so far (0 on float32; tests). */
    int traversalCodeFits() {
        return codes == null ? 0 : codes.fits();
    }

    /** Bytes of traversal codes the searches walk on (0 when they walk on float32). */
    public long traversalCodeBytes() {
        return codes == null ? 0 : codes.ramBytesUsed();
    }

    /**
     * The {@code ef} nodes most similar to {@code query} among those {@code accept} takes (and not
     * deleted), best first — by the walk's scores, which on traversal codes are approximate: the
     * caller re-scores. The search keeps expanding until it holds {@code ef} accepted nodes
     * whose worst beats every unexpanded candidate, or runs out of candidates: fewer than
     * {@code ef} means fewer accepted nodes were reachable.
     */
    public int[] search(float[] query, int ef, IntPredicate accept) {
        return searchers.get().search(graph(), walkScores(query), ef, accept);
    }

    /** {@link #search} scoring one node at a time (tests: the four-row scoring must not change an answer). */
    int[] searchOneByOne(float[] query, int ef, IntPredicate accept) {
        ScoreFunction.ExactScoreFunction single = walkScores(query)::similarityTo;
        return searchers.get().search(graph(), single, ef, accept);
    }

    /** What a walk scores by: the codes when there are any, else float32. */
    private ScoreFunction.ExactScoreFunction walkScores(float[] query) {
        // the owner's read lock excludes growth, so the matrix the scores read stays the same
        return codes != null ? codes.scores(query) : scores.queryScores(query);
    }

    /**
     * Nodes no search can reach: not linked, on any layer, from the entry node through any chain
     * of links. A full scan of every neighbour list (a check for tests and diagnostics).
     */
    public int unreachableNodes() {
        OnHeapGraphIndex graph = graph();
        int nodes = graph.size(0);
        var entry = graph.entryNode();
        if (entry == null) {
            return nodes;
        }
        var seen = new java.util.BitSet(graph.getIdUpperBound());
        int[] queue = new int[Math.max(1, graph.getIdUpperBound())];
        int head = 0;
        int tail = 0;
        queue[tail++] = entry.node;
        seen.set(entry.node);
        while (head < tail) {
            int node = queue[head++];
            for (int level = 0; level <= graph.getMaxLevelForNode(node); level++) {
                for (var it = graph.getNeighborsIterator(level, node); it.hasNext(); ) {
                    int next = it.nextInt();
                    if (!seen.get(next)) {
                        seen.set(next);
                        queue[tail++] = next;
                    }
                }
            }
        }
        return nodes - tail;
    }

    /**
     * jvector's builder graph, an {@code OnHeapGraphIndex}: searches read its neighbour lists
     * directly (and tests in this package set up the states its races leave).
     */
    OnHeapGraphIndex graph() {
        return (OnHeapGraphIndex) builder.getGraph();
    }

    @Override
    public void close() {
        try {
            builder.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
