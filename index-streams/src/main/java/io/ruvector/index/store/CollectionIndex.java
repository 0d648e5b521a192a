package io.ruvector.index.store;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.graph.VectorGraph;
import io.ruvector.index.graph.VectorSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The search structures of one collection in one partition: a flat row-major {@code float[]}
 * matrix (the only copy of each vector: what exact search scans and what the graph scores), an
 * id → ordinal map, one {@link Row} of the remaining columns per ordinal, and, once the
 * collection reaches {@link HnswSettings#exactBelowRows()} live rows, an HNSW {@link VectorGraph}
 * whose node ids are the ordinals.
 *
 * <p><b>Ordinal life cycle.</b> live → (delete, or update to a new vector) → retired → (graph
 * cleanup) → free → reused. A retired ordinal is flagged deleted in the graph but keeps its
 * vector, because searches still traverse it; it becomes free only after
 * {@link #removeDeletedNodes()} has unlinked it. Without a graph, a removed ordinal is free at
 * once. An update that keeps the vector (metadata only) keeps its ordinal and graph node.
 * Arrays grow geometrically (×1.5), so appends are amortised O(dims).
 *
 * <p><b>Pending links.</b> A row put while the graph exists is searchable at once but linked into
 * the graph in batches of {@link #LINK_BATCH}, in parallel ({@link VectorGraph#addAll}): one
 * insert at a time on the stream thread left the second core idle during a bulk load. Until its
 * batch is linked (a full batch, {@link #linkPending()} on the store's flush, or before any
 * graph maintenance) a pending row is found by an exact scan of the pending ordinals, which
 * {@link CollectionSearcher} merges with the graph's candidates; a pending row deleted or
 * replaced is freed at once, as it was never linked.
 *
 * <p>Not thread-safe: {@link PartitionVectorIndexStore} guards it with its read/write lock.
 */
final class CollectionIndex implements VectorSource {

    private static final int INITIAL_CAPACITY = 16;
    /**
     * Rows linked into the graph at once. Each search scans the pending ones exactly (at most
     * 255 distances, ~30 µs at 784 dimensions against ~250 µs for the graph search), so the
     * batch stays small; large enough that the parallel link keeps both cores busy.
     */
    static final int LINK_BATCH = 256;

    /** Everything of a live row but its vector, which lives in the matrix. */
    record Row(String id, String tenant, Map<String, Object> metadata, long lsn, boolean snapshot) {
    }

    private final String collection;
    private final int dims;
    private final HnswSettings settings;
    private final Map<String, Integer> ordinals = new HashMap<>();
    private float[] matrix;
    private Row[] rows;
    private int[] free = new int[8];
    private int freeCount;
    private int[] retired = new int[8];
    private int retiredCount;
    private int[] pending = new int[LINK_BATCH];
    private int pendingCount;
    private int highWater;
    private GraphParams params;
    private VectorGraph graph;
    /** While reconciling a loaded snapshot: id → ordinal of the rows the snapshot held live. */
    private Map<String, Integer> unclaimed;

    CollectionIndex(String collection, int dims, GraphParams params, HnswSettings settings) {
        this.collection = collection;
        this.dims = dims;
        this.params = params;
        this.settings = settings;
        this.matrix = new float[INITIAL_CAPACITY * dims];
        this.rows = new Row[INITIAL_CAPACITY];
    }

    @Override
    public int dims() {
        return dims;
    }

    @Override
    public float[] matrix() {
        return matrix;
    }

    /** Live rows. */
    int size() {
        return ordinals.size();
    }

    /** One past the highest ordinal ever used: scans run over {@code [0, highWater)}. */
    int highWater() {
        return highWater;
    }

    /** The live row at {@code ordinal}, or null for a free or retired one. */
    Row row(int ordinal) {
        return rows[ordinal];
    }

    boolean isLive(int ordinal) {
        return rows[ordinal] != null;
    }

    /** The graph, or null below the row threshold or for an L1 collection. */
    VectorGraph graph() {
        return graph;
    }

    GraphParams params() {
        return params;
    }

    /** Ordinals flagged deleted in the graph and awaiting cleanup. */
    int retiredCount() {
        return retiredCount;
    }

    /** The ids of the live rows (a copy). */
    List<String> ids() {
        return new ArrayList<>(ordinals.keySet());
    }

    /** The live row {@code id} without its vector (its version, for a hand-off's settlement), or null. */
    Row row(String id) {
        Integer ordinal = ordinals.get(id);
        return ordinal == null ? null : rows[ordinal];
    }

    /** The live row {@code id} as an {@link IndexedVector} (its vector a copy), or null. */
    IndexedVector get(String id) {
        Integer ordinal = ordinals.get(id);
        if (ordinal == null) {
            return null;
        }
        Row row = rows[ordinal];
        int offset = ordinal * dims;
        return new IndexedVector(collection, id, row.tenant(), Arrays.copyOfRange(matrix, offset, offset + dims),
                row.metadata(), row.lsn(), row.snapshot());
    }

    /**
     * Inserts or replaces the row with {@code live.id()}; the vector's length must be {@link #dims()}.
     * With {@code linkGraph} false (bulk load after restore) the graph is left to {@link #ensureGraph()}.
     */
    void put(IndexedVector live, boolean linkGraph) {
        Row row = new Row(live.id(), live.tenant(), live.metadata(), live.lsn(), live.snapshot());
        Integer existing = ordinals.get(live.id());
        if (existing != null && (graph == null || sameVector(existing, live.vector()))) {
            System.arraycopy(live.vector(), 0, matrix, existing * dims, dims);
            rows[existing] = row;
            return;
        }
        if (existing != null) {
            retire(existing); // the graph node keeps the old vector until cleanup unlinks it
        }
        int ordinal = allocate();
        System.arraycopy(live.vector(), 0, matrix, ordinal * dims, dims);
        rows[ordinal] = row;
        ordinals.put(live.id(), ordinal);
        if (graph != null) {
            pending[pendingCount++] = ordinal;
            if (pendingCount == LINK_BATCH) {
                linkPending();
            }
        } else if (linkGraph) {
            ensureGraph();
        }
    }

    /** Links the pending rows into the graph (in parallel); returns how many. */
    int linkPending() {
        int count = pendingCount;
        if (count > 0) {
            graph.addAll(Arrays.copyOf(pending, count));
            pendingCount = 0;
        }
        return count;
    }

    /** Rows put but not yet linked into the graph: searches scan them exactly. */
    int pendingCount() {
        return pendingCount;
    }

    /** The {@code i}-th pending ordinal, {@code i < pendingCount()}. */
    int pendingOrdinal(int i) {
        return pending[i];
    }

    /** Removes {@code id}: its ordinal is retired while a graph links it, free otherwise. */
    void remove(String id) {
        Integer ordinal = ordinals.remove(id);
        if (ordinal == null) {
            return;
        }
        if (graph != null) {
            retire(ordinal);
        } else {
            rows[ordinal] = null;
            free = push(free, freeCount++, ordinal);
        }
    }

    /**
     * Up to {@code max} live vectors (copies), uniformly at random without replacement: reservoir
     * sampling (Algorithm R) over the live ordinals, one pass, deterministic for {@code seed}.
     */
    List<float[]> sample(int max, long seed) {
        int[] chosen;
        if (max >= size()) {
            chosen = liveOrdinals();
        } else {
            chosen = new int[max];
            SplittableRandom random = new SplittableRandom(seed);
            int seen = 0;
            for (int ordinal = 0; ordinal < highWater; ordinal++) {
                if (rows[ordinal] != null) {
                    int slot = seen < max ? seen : random.nextInt(seen + 1);
                    if (slot < max) {
                        chosen[slot] = ordinal;
                    }
                    seen++;
                }
            }
        }
        List<float[]> vectors = new ArrayList<>(chosen.length);
        for (int ordinal : chosen) {
            vectors.add(Arrays.copyOfRange(matrix, ordinal * dims, (ordinal + 1) * dims));
        }
        return vectors;
    }

    /** Builds the graph if there is none yet, the collection's metric allows one and it has enough rows. */
    void ensureGraph() {
        if (graph == null && params.graphable() && size() > 0 && size() >= settings.exactBelowRows()) {
            VectorGraph built = VectorGraph.create(this, params, settings);
            built.addAll(liveOrdinals());
            graph = built;
        }
    }

    /** Applies new graph params; a graph built with other params is rebuilt (or dropped, for L1). */
    void reconfigure(GraphParams newParams) {
        if (newParams.equals(params)) {
            return;
        }
        params = newParams;
        if (graph != null) {
            dropGraph();
        }
        ensureGraph();
    }

    /** Whether retired nodes make up at least {@code fraction} of the graph. */
    boolean needsCleanup(double fraction) {
        return retiredCount > 0 && retiredCount >= fraction * (size() + retiredCount);
    }

    /** Unlinks the retired nodes from the graph and frees their ordinals; returns how many. */
    int removeDeletedNodes() {
        if (graph == null || retiredCount == 0) {
            return 0;
        }
        linkPending(); // jvector repairs neighbours among the linked nodes only
        graph.removeDeleted();
        return freeRetired();
    }

    private static final int SNAPSHOT_MAGIC = 0x52564753; // "RVGS"
    private static final int SNAPSHOT_VERSION = 2;
    private static final byte FREE = 0;
    private static final byte LIVE = 1;
    private static final byte RETIRED = 2;

    /**
     * Writes the graph, the vectors it links and the id of each live row: what
     * {@link #fromSnapshot} needs to answer again without re-linking. Links the pending rows first
     * (jvector saves only a graph without mutations in flight). Needs a graph.
     */
    void writeSnapshot(java.io.DataOutputStream out) throws java.io.IOException {
        linkPending();
        out.writeInt(SNAPSHOT_MAGIC);
        out.writeInt(SNAPSHOT_VERSION);
        out.writeInt(dims);
        writeText(out, params.metric().name());
        out.writeInt(params.m());
        out.writeInt(params.efConstruction());
        out.writeInt(highWater);
        byte[] state = new byte[highWater];
        for (int i = 0; i < retiredCount; i++) {
            state[retired[i]] = RETIRED;
        }
        for (int ordinal = 0; ordinal < highWater; ordinal++) {
            if (rows[ordinal] != null) {
                state[ordinal] = LIVE;
            }
        }
        out.write(state);
        for (int ordinal = 0; ordinal < highWater; ordinal++) {
            if (state[ordinal] == LIVE) {
                writeText(out, rows[ordinal].id());
            }
        }
        java.nio.ByteBuffer floats = java.nio.ByteBuffer.allocate(64 * 1024); // big-endian, as DataOutput
        for (int i = 0, end = highWater * dims; i < end; i++) {
            if (!floats.hasRemaining()) {
                out.write(floats.array(), 0, floats.position());
                floats.clear();
            }
            floats.putFloat(matrix[i]);
        }
        out.write(floats.array(), 0, floats.position());
        graph.save(out);
    }

    /**
     * The collection as a snapshot left it — vectors and graph in place, no row live yet — for
     * {@link #claim}ing the stored rows that are unchanged since and {@link #finishReconcile()}.
     * Null when the snapshot was written with other dimensions or graph params (the caller
     * rebuilds).
     *
     * @throws java.io.IOException when the snapshot is not one (truncated, another format)
     */
    static CollectionIndex fromSnapshot(String collection, java.nio.ByteBuffer in, GraphParams params,
                                        HnswSettings settings) throws java.io.IOException {
        try {
            if (in.getInt() != SNAPSHOT_MAGIC || in.getInt() != SNAPSHOT_VERSION) {
                throw new java.io.IOException("not a graph snapshot of this version");
            }
            int dims = in.getInt();
            GraphParams saved = readParams(in);
            int highWater = in.getInt();
            if (highWater < 0 || dims < 1 || (long) highWater * (1 + (long) dims * Float.BYTES) > in.remaining()) {
                throw new java.io.IOException("graph snapshot sizes do not fit the file: " + highWater + " rows of " + dims);
            }
            if (!saved.equals(params) || !params.graphable()) {
                return null;
            }
            CollectionIndex index = new CollectionIndex(collection, dims, params, settings);
            byte[] state = new byte[highWater];
            in.get(state);
            index.unclaimed = new HashMap<>();
            index.matrix = new float[Math.max(INITIAL_CAPACITY, highWater) * dims];
            index.rows = new Row[Math.max(INITIAL_CAPACITY, highWater)];
            index.highWater = highWater;
            for (int ordinal = 0; ordinal < highWater; ordinal++) {
                switch (state[ordinal]) {
                    case LIVE -> index.unclaimed.put(readUtf(in), ordinal);
                    case RETIRED -> index.retired = push(index.retired, index.retiredCount++, ordinal);
                    default -> index.free = push(index.free, index.freeCount++, ordinal);
                }
            }
            in.asFloatBuffer().get(index.matrix, 0, highWater * dims);
            in.position(in.position() + highWater * dims * Float.BYTES);
            index.graph = VectorGraph.load(index, params, settings, in);
            for (int i = 0; i < index.retiredCount; i++) {
                index.graph.markDeleted(index.retired[i]);
            }
            return index;
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new java.io.IOException("truncated or damaged graph snapshot: " + e, e);
        }
    }

    /**
     * Takes {@code live} as the row of its snapshot ordinal when the snapshot held the id with
     * this very vector (a metadata-only change since keeps its node); false when the vector
     * changed or the row is new since, and must be {@link #put} after {@link #finishReconcile()}.
     */
    boolean claim(IndexedVector live) {
        Integer ordinal = unclaimed.get(live.id());
        if (ordinal == null || !sameVector(ordinal, live.vector())) {
            return false;
        }
        unclaimed.remove(live.id());
        rows[ordinal] = new Row(live.id(), live.tenant(), live.metadata(), live.lsn(), live.snapshot());
        ordinals.put(live.id(), ordinal);
        return true;
    }

    /** The rows claimed so far (copies), for a caller that gives the snapshot up. */
    List<IndexedVector> claimedRows() {
        List<IndexedVector> claimed = new ArrayList<>(ordinals.size());
        for (String id : ordinals.keySet()) {
            claimed.add(get(id));
        }
        return claimed;
    }

    /** Releases the graph (a snapshot given up). */
    void close() {
        if (graph != null) {
            graph.close();
            graph = null;
        }
    }

    /** Whether this index still reconciles a loaded snapshot. */
    boolean reconciling() {
        return unclaimed != null;
    }

    /**
     * Ends the reconcile: a snapshot row the store no longer holds in that version (deleted or
     * changed since) is retired — its graph node keeps its vector for traversal until cleanup —
     * and the graph nodes that were loaded are counted.
     *
     * @return the graph nodes taken over from the snapshot (live rows claimed)
     */
    int finishReconcile() {
        for (int ordinal : unclaimed.values()) {
            graph.markDeleted(ordinal);
            retired = push(retired, retiredCount++, ordinal);
        }
        unclaimed = null;
        return size();
    }

    private static GraphParams readParams(java.nio.ByteBuffer in) {
        io.ruvector.schemas.Metric metric = io.ruvector.schemas.Metric.valueOf(readUtf(in));
        int m = in.getInt();
        int efConstruction = in.getInt();
        return new GraphParams(m, efConstruction, metric);
    }

    private static void writeText(java.io.DataOutputStream out, String text) throws java.io.IOException {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readUtf(java.nio.ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("text length " + length);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Heap held by the matrix. */
    long vectorBytes() {
        return (long) matrix.length * Float.BYTES;
    }

    private void retire(int ordinal) {
        rows[ordinal] = null;
        for (int i = 0; i < pendingCount; i++) {
            if (pending[i] == ordinal) { // never linked: nothing in the graph to unlink
                pending[i] = pending[--pendingCount];
                free = push(free, freeCount++, ordinal);
                return;
            }
        }
        graph.markDeleted(ordinal);
        retired = push(retired, retiredCount++, ordinal);
    }

    private void dropGraph() {
        graph.close();
        graph = null;
        pendingCount = 0; // plain live rows now: a new graph links every live row
        freeRetired(); // a graph that no longer exists links nothing
    }

    private int freeRetired() {
        int count = retiredCount;
        for (int i = 0; i < count; i++) {
            free = push(free, freeCount++, retired[i]);
        }
        retiredCount = 0;
        return count;
    }

    private int[] liveOrdinals() {
        int[] live = new int[size()];
        int n = 0;
        for (int ordinal = 0; ordinal < highWater; ordinal++) {
            if (rows[ordinal] != null) {
                live[n++] = ordinal;
            }
        }
        return live;
    }

    private boolean sameVector(int ordinal, float[] vector) {
        int offset = ordinal * dims;
        return Arrays.equals(matrix, offset, offset + dims, vector, 0, dims);
    }

    private int allocate() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        if (highWater == rows.length) {
            int capacity = rows.length + (rows.length >> 1);
            matrix = Arrays.copyOf(matrix, capacity * dims);
            rows = Arrays.copyOf(rows, capacity);
        }
        return highWater++;
    }

    /** {@code stack} with {@code value} at {@code index}, grown (×2) when full. */
    private static int[] push(int[] stack, int index, int value) {
        int[] out = index == stack.length ? Arrays.copyOf(stack, stack.length * 2) : stack;
        out[index] = value;
        return out;
    }
}
