package io.ruvector.index.store;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.graph.VectorGraph;
import io.ruvector.index.graph.VectorSource;
import io.ruvector.index.kernel.ScalarQuantizer;
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
 * <p><b>Cold tier.</b> Rows neither written nor returned since a cut-off can be
 * {@link #evictIdle evicted}: their vector is then held as int8 codes ({@link ScalarQuantizer},
 * {@code dims} bytes, a quarter of float32, and one byte bounding the row's distance to them, so
 * that searches read only the cold rows that can make their top k) and the float matrix shrinks
 * to the remaining hot rows. From the first eviction a slot map says where each ordinal's vector is (hot matrix row,
 * or code row); the graph walks cold nodes on their approximate scores, and every distance the
 * index returns is computed on the full-precision vector, read back from the durable store
 * ({@link FullVectors}) for a cold row. {@link #promoteAll()} reverses it. The tier needs a graph
 * (exact-only collections are small) and lives in memory only: a rebuild from the store starts
 * with every row hot.
 *
 * <p>Not thread-safe: {@link PartitionVectorIndexStore} guards it with its read/write lock.
 * {@link #touch} is the exception: searches record returned rows under the read lock (an int
 * write; a lost race keeps a time as recent).
 */
final class CollectionIndex implements VectorSource {

    /** Reads a row's full-precision vector from the durable store: the source of truth of cold rows. */
    @FunctionalInterface
    interface FullVectors {
        /** The stored vector of live row {@code id}, or null when the store holds none. */
        float[] vector(String collection, String id);

        /** No store (tests that never evict). */
        FullVectors NONE = (collection, id) -> null;
    }

    /** What {@link #evictIdle} did. */
    record Eviction(int rows, int retiredNodes, long bytesBefore, long bytesAfter) {
        static final Eviction NONE = new Eviction(0, 0, 0, 0);
    }

    /** Slot of a free ordinal in tier mode: no storage. */
    private static final int NO_SLOT = Integer.MIN_VALUE;
    /** Touch times are seconds since this epoch second (2020-09-13), so they fit an int until 2088. */
    private static final long TOUCH_EPOCH_SECONDS = 1_600_000_000L;

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
    private final FullVectors store;
    private final java.util.function.LongSupplier clock;
    /**
     * Per ordinal: when the row was last written or returned, see {@link #touch}. A row going cold
     * keeps its time complemented (negative), so a cold row with a non-negative time was returned
     * since: what the tier policy promotes ({@link #promoteReturned}).
     */
    private int[] touched;
    // The cold tier; all unset while no row is cold, and then matrix row = ordinal.
    private int[] slots;
    private byte[] codes;
    /**
     * Per code row: its {@link ScalarQuantizer#errorCode}, a bound of its distance to its codes, so
     * that a search reads from the store only the cold rows that can still make its top k.
     */
    private byte[] coldErrors;
    private ScalarQuantizer quantizer;
    private int[] freeHot = new int[8];
    private int freeHotCount;
    private int hotHighWater;
    private int[] freeCold = new int[8];
    private int freeColdCount;
    private int coldHighWater;
    /** Cold code rows in use (live rows and retired nodes). */
    private int coldSlotsUsed;
    /** Live rows held cold. */
    private int coldRows;
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
    /** When the last row was put ({@link System#nanoTime()}): arrays are trimmed only after a quiet spell. */
    private long lastPutNanos = System.nanoTime();
    private GraphParams params;
    private VectorGraph graph;
    /** While reconciling a loaded snapshot: id → ordinal of the rows the snapshot held live. */
    private Map<String, Integer> unclaimed;

    CollectionIndex(String collection, int dims, GraphParams params, HnswSettings settings) {
        this(collection, dims, params, settings, FullVectors.NONE, System::currentTimeMillis);
    }

    CollectionIndex(String collection, int dims, GraphParams params, HnswSettings settings, FullVectors store,
                    java.util.function.LongSupplier clock) {
        this.collection = collection;
        this.dims = dims;
        this.params = params;
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.matrix = new float[INITIAL_CAPACITY * dims];
        this.rows = new Row[INITIAL_CAPACITY];
        this.touched = new int[INITIAL_CAPACITY];
    }

    @Override
    public int dims() {
        return dims;
    }

    @Override
    public float[] matrix() {
        return matrix;
    }

    @Override
    public CompressedRows compressed() {
        return slots == null ? null : new CompressedRows(slots, codes, quantizer);
    }

    /** Where ordinal's vector starts in {@link #matrix()}, or -1 when it is held cold. */
    int offset(int ordinal) {
        if (slots == null) {
            return ordinal * dims;
        }
        int slot = slots[ordinal];
        return slot >= 0 ? slot * dims : -1;
    }

    /**
     * The full-precision vector of live {@code ordinal}: a copy of its matrix row, or for a cold
     * row the stored vector.
     *
     * @throws IllegalStateException when the store lost a cold row (a bug: rows are written through)
     */
    float[] fullVector(int ordinal) {
        int offset = offset(ordinal);
        if (offset >= 0) {
            return Arrays.copyOfRange(matrix, offset, offset + dims);
        }
        Row row = rows[ordinal];
        float[] stored = row == null ? null : store.vector(collection, row.id());
        if (stored == null || stored.length != dims) {
            throw new IllegalStateException("cold row " + (row == null ? "#" + ordinal : row.id()) + " of "
                    + collection + " has no full-precision vector in the store");
        }
        return stored;
    }

    /**
     * Writes cold {@code ordinal}'s decoded codes to {@code dst[0..dims)} and returns an upper
     * bound of their distance {@code ‖x − x̂‖₂} to its full-precision vector (+∞ when unknown).
     */
    double decodeCold(int ordinal, float[] dst) {
        int cold = ~slots[ordinal];
        quantizer.decode(codes, cold * dims, dst, 0);
        return quantizer.errorBound(coldErrors[cold] & 0xFF);
    }

    /** Records that {@code ordinal} was written or returned now (keeps it out of the next eviction). */
    void touch(int ordinal) {
        int[] times = touched;
        if (ordinal < times.length) {
            times[ordinal] = nowSeconds();
        }
    }

    private int nowSeconds() {
        return (int) (clock.getAsLong() / 1000 - TOUCH_EPOCH_SECONDS);
    }

    /** Whether some rows (live or deleted nodes) are held as codes: no snapshot then. */
    boolean hasColdTier() {
        return slots != null;
    }

    /** Live rows held in the cold tier. */
    int coldRows() {
        return coldRows;
    }

    /** Records that live row {@code id} was returned now. */
    void touch(String id) {
        Integer ordinal = ordinals.get(id);
        if (ordinal != null) {
            touch(ordinal);
        }
    }

    /**
     * What {@link #evictIdle} would do for {@code idleSinceMillis} (pending rows counted as linked),
     * with the vector memory it would leave; nothing changes.
     */
    Eviction planEviction(long idleSinceMillis) {
        if (graph == null || size() == 0) {
            return Eviction.NONE;
        }
        IdleSelection idle = selectIdle(idleSinceMillis);
        int retiredHot = idle.count() - idle.live();
        if (idle.count() == 0) {
            return Eviction.NONE;
        }
        long after = (long) Math.max(INITIAL_CAPACITY, idle.hotLive() - idle.live()) * dims * Float.BYTES
                + (long) Math.max(coldHighWater, coldSlotsUsed + idle.count()) * (dims + 1)
                + (long) rows.length * Integer.BYTES;
        return new Eviction(idle.live(), retiredHot, vectorBytes(), after);
    }

    /**
     * What an eviction with {@code idleSinceMillis} moves, the same for the plan and the act.
     *
     * @param ordinals    the first {@code count}: live rows held hot and touched at or before the
     *                    cut-off, and retired nodes still held hot
     * @param live        how many of them are live rows
     * @param hotLive     live rows held hot now
     * @param hotOffsets  the first {@code hotCount}: matrix offsets of every hot row and hot retired node
     */
    private record IdleSelection(int[] ordinals, int count, int live, int hotLive, int[] hotOffsets, int hotCount) {
    }

    private IdleSelection selectIdle(long idleSinceMillis) {
        int cutoff = (int) (idleSinceMillis / 1000 - TOUCH_EPOCH_SECONDS);
        boolean[] isRetired = new boolean[highWater];
        for (int i = 0; i < retiredCount; i++) {
            isRetired[retired[i]] = true;
        }
        int[] chosen = new int[highWater];
        int count = 0;
        int live = 0;
        int hotLive = 0;
        int[] hotOffsets = new int[highWater];
        int hotCount = 0;
        for (int ordinal = 0; ordinal < highWater; ordinal++) {
            boolean isLive = rows[ordinal] != null;
            if ((!isLive && !isRetired[ordinal]) || offset(ordinal) < 0) {
                continue; // free, or cold already
            }
            hotOffsets[hotCount++] = offset(ordinal);
            hotLive += isLive ? 1 : 0;
            if (!isLive || touched[ordinal] <= cutoff) {
                chosen[count++] = ordinal;
                live += isLive ? 1 : 0;
            }
        }
        return new IdleSelection(chosen, count, live, hotLive, hotOffsets, hotCount);
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

    /** Whether some live row's id satisfies {@code test}. */
    boolean anyId(java.util.function.Predicate<String> test) {
        for (String id : ordinals.keySet()) {
            if (test.test(id)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Calls {@code visitor} with every live row's id and full-precision vector (a copy; cold rows
     * read from the store), without touching the rows' idle clocks.
     */
    void forEachLive(java.util.function.BiConsumer<String, float[]> visitor) {
        for (Map.Entry<String, Integer> entry : ordinals.entrySet()) {
            visitor.accept(entry.getKey(), fullVector(entry.getValue()));
        }
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
        return new IndexedVector(collection, id, row.tenant(), fullVector(ordinal), row.metadata(), row.lsn(),
                row.snapshot());
    }

    /**
     * Inserts or replaces the row with {@code live.id()}; the vector's length must be {@link #dims()}.
     * With {@code linkGraph} false (bulk load after restore) the graph is left to {@link #ensureGraph()}.
     */
    void put(IndexedVector live, boolean linkGraph) {
        lastPutNanos = System.nanoTime();
        Row row = new Row(live.id(), live.tenant(), live.metadata(), live.lsn(), live.snapshot());
        Integer existing = ordinals.get(live.id());
        // a cold row is never compared: its vector is not in memory, so it is replaced like a changed one
        if (existing != null && (graph == null || (offset(existing) >= 0 && sameVector(existing, live.vector())))) {
            System.arraycopy(live.vector(), 0, matrix, offset(existing), dims);
            rows[existing] = row;
            touch(existing);
            return;
        }
        if (existing != null) {
            retire(existing); // the graph node keeps the old vector until cleanup unlinks it
        }
        int ordinal = allocate();
        System.arraycopy(live.vector(), 0, matrix, offset(ordinal), dims);
        rows[ordinal] = row;
        touch(ordinal);
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
        return linkPending(pendingCount);
    }

    /**
     * Links the oldest {@code max} pending rows at most (in parallel); returns how many. The owner
     * links a batch in such slices, releasing its write lock between them, so that a search waits
     * for one slice rather than a whole batch.
     */
    int linkPending(int max) {
        int count = Math.min(max, pendingCount);
        if (count > 0) {
            graph.addAll(Arrays.copyOf(pending, count));
            System.arraycopy(pending, count, pending, 0, pendingCount - count);
            pendingCount -= count;
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
            freeOrdinal(ordinal);
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
            vectors.add(memoryVector(ordinal)); // telemetry: a cold row's codes are close enough, no store read
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
            promoteAll(); // the tier needs a graph
            dropGraph();
        }
        ensureGraph();
    }

    /** Whether retired nodes make up at least {@code fraction} of the graph. */
    boolean needsCleanup(double fraction) {
        return retiredCount > 0 && retiredCount >= fraction * (size() + retiredCount);
    }

    /**
     * Unlinks the retired nodes from the graph and frees their ordinals; returns how many. With
     * retired nodes over half the live rows (a third of the graph deleted: rows handed to other
     * partitions, a mass delete) and no cold tier, the graph is built anew from the live rows
     * instead: linking them costs less than repairing every neighbour list that pointed at the dead
     * (measured: 12,500 of 102,500 nodes removed in ~10 s), and jvector's repair after such a share
     * left regions badly connected (HealingMaintenanceIT, 39 % deleted on 20 clusters: recall@10
     * 1.000 before, 0.988 after, the same 12 misses in two CI runs).
     */
    int removeDeletedNodes() {
        if (graph == null || retiredCount == 0) {
            return 0;
        }
        if (2L * retiredCount > size() && slots == null) { // a cold tier stays: building anew would promote it
            int freed = retiredCount;
            dropGraph(); // frees the retired ordinals
            ensureGraph();
            return freed;
        }
        linkPending(); // jvector repairs neighbours among the linked nodes only
        graph.removeDeleted();
        int freed = freeRetired();
        if (slots != null && coldSlotsUsed == 0) {
            leaveTier(); // the last cold nodes were deleted ones
        }
        return freed;
    }

    /**
     * Moves to the cold tier every live row last written or returned at or before
     * {@code idleSinceMillis}, and every retired node still held at full precision (only walked,
     * never returned); then shrinks the matrix to the rows left hot. The quantiser is fitted on
     * the first eviction, over every row then in memory. Nothing without a graph.
     */
    Eviction evictIdle(long idleSinceMillis) {
        if (graph == null || size() == 0) {
            return Eviction.NONE;
        }
        linkPending(); // pending rows are scanned from the matrix
        IdleSelection idle = selectIdle(idleSinceMillis);
        int[] chosen = idle.ordinals();
        int chosenCount = idle.count();
        int liveChosen = idle.live();
        if (chosenCount == 0) {
            return Eviction.NONE;
        }
        long before = vectorBytes();
        if (quantizer == null) {
            quantizer = ScalarQuantizer.fit(matrix, idle.hotOffsets(), idle.hotCount(), dims);
        }
        if (slots == null) {
            enterTier();
        }
        int needed = coldHighWater + Math.max(0, chosenCount - freeColdCount);
        if (codes == null || codes.length < needed * dims) {
            codes = codes == null ? new byte[needed * dims] : Arrays.copyOf(codes, needed * dims);
            coldErrors = coldErrors == null ? new byte[needed] : Arrays.copyOf(coldErrors, needed);
        }
        float[] decoded = new float[dims];
        for (int i = 0; i < chosenCount; i++) {
            int ordinal = chosen[i];
            int cold = freeColdCount > 0 ? freeCold[--freeColdCount] : coldHighWater++;
            quantizer.encode(matrix, slots[ordinal] * dims, codes, cold * dims);
            coldErrors[cold] = (byte) quantizer.errorCode(matrix, slots[ordinal] * dims, codes, cold * dims, decoded);
            slots[ordinal] = ~cold;
            touched[ordinal] = ~touched[ordinal]; // cold since: a later touch makes it non-negative
            coldSlotsUsed++;
        }
        coldRows += liveChosen;
        compactHot();
        return new Eviction(liveChosen, chosenCount - liveChosen, before, vectorBytes());
    }

    /**
     * Brings every cold row back to full precision (live rows from the store, retired nodes from
     * their codes, as they are only walked) and leaves the tier; returns the live rows promoted.
     */
    int promoteAll() {
        if (slots == null) {
            return 0;
        }
        int promoted = 0;
        float[] decoded = new float[dims];
        for (int ordinal = 0; ordinal < highWater; ordinal++) {
            int slot = slots[ordinal];
            if (slot >= 0 || slot == NO_SLOT) {
                continue;
            }
            float[] vector;
            if (rows[ordinal] != null) {
                vector = fullVector(ordinal);
                promoted++;
                touch(ordinal); // promoted on purpose: not idle again at once
            } else {
                quantizer.decode(codes, ~slot * dims, decoded, 0);
                vector = decoded;
            }
            int hot = allocateHotSlot();
            System.arraycopy(vector, 0, matrix, hot * dims, dims);
            slots[ordinal] = hot;
        }
        leaveTier();
        return promoted;
    }

    /**
     * Whether a tier pass with {@code idleSinceMillis} has work: a hot live row idle since then or
     * a cold row returned since it went cold.
     */
    boolean tierWork(long idleSinceMillis) {
        if (graph == null) {
            return false;
        }
        int cutoff = (int) (idleSinceMillis / 1000 - TOUCH_EPOCH_SECONDS);
        for (int ordinal = 0; ordinal < highWater; ordinal++) {
            if (rows[ordinal] != null && (offset(ordinal) >= 0 ? touched[ordinal] <= cutoff : touched[ordinal] >= 0)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Brings back to full precision (from the store) every cold live row written or returned since
     * it went cold: promotion on access. Returns how many; leaves the tier when no code is left.
     */
    int promoteReturned() {
        if (slots == null || coldRows == 0) {
            return 0;
        }
        int promoted = 0;
        for (int ordinal = 0; ordinal < highWater; ordinal++) {
            int slot = slots[ordinal];
            if (slot >= 0 || slot == NO_SLOT || rows[ordinal] == null || touched[ordinal] < 0) {
                continue;
            }
            float[] vector = fullVector(ordinal);
            int hot = allocateHotSlot();
            System.arraycopy(vector, 0, matrix, hot * dims, dims);
            freeCold = push(freeCold, freeColdCount++, ~slot);
            coldSlotsUsed--;
            coldRows--;
            slots[ordinal] = hot;
            promoted++;
        }
        if (coldSlotsUsed == 0) {
            leaveTier();
        }
        return promoted;
    }

    /** From here on the matrix is indexed by slot: at first every ordinal keeps its own row. */
    private void enterTier() {
        slots = new int[rows.length];
        boolean[] isFree = new boolean[highWater];
        for (int i = 0; i < freeCount; i++) {
            isFree[free[i]] = true;
        }
        for (int ordinal = 0; ordinal < rows.length; ordinal++) {
            slots[ordinal] = ordinal < highWater && !isFree[ordinal] ? ordinal : NO_SLOT;
        }
        hotHighWater = highWater;
        freeHotCount = 0;
        for (int ordinal = 0; ordinal < highWater; ordinal++) {
            if (isFree[ordinal]) {
                freeHot = push(freeHot, freeHotCount++, ordinal);
            }
        }
    }

    /** Back to matrix row = ordinal, with no cold row left. */
    private void leaveTier() {
        float[] plain = new float[rows.length * dims];
        for (int ordinal = 0; ordinal < highWater; ordinal++) {
            int slot = slots[ordinal];
            if (slot >= 0) {
                System.arraycopy(matrix, slot * dims, plain, ordinal * dims, dims);
            }
        }
        matrix = plain;
        slots = null;
        codes = null;
        coldErrors = null;
        quantizer = null;
        freeHotCount = 0;
        hotHighWater = 0;
        freeColdCount = 0;
        coldHighWater = 0;
        coldSlotsUsed = 0;
        coldRows = 0;
    }

    /** Rewrites the matrix with only the hot rows, in ordinal order, and trims the codes: what eviction frees. */
    private void compactHot() {
        int hot = 0;
        for (int ordinal = 0; ordinal < highWater; ordinal++) {
            if (slots[ordinal] >= 0) {
                hot++;
            }
        }
        float[] compact = new float[Math.max(INITIAL_CAPACITY, hot) * dims];
        int next = 0;
        for (int ordinal = 0; ordinal < highWater; ordinal++) {
            int slot = slots[ordinal];
            if (slot >= 0) {
                System.arraycopy(matrix, slot * dims, compact, next * dims, dims);
                slots[ordinal] = next++;
            }
        }
        matrix = compact;
        hotHighWater = next;
        freeHotCount = 0;
        if (codes.length > coldHighWater * dims) {
            codes = Arrays.copyOf(codes, coldHighWater * dims);
            coldErrors = Arrays.copyOf(coldErrors, coldHighWater);
        }
    }

    private int allocateHotSlot() {
        if (freeHotCount > 0) {
            return freeHot[--freeHotCount];
        }
        if ((hotHighWater + 1) * dims > matrix.length) {
            int capacity = Math.max(INITIAL_CAPACITY, hotHighWater + (hotHighWater >> 1));
            matrix = Arrays.copyOf(matrix, capacity * dims);
        }
        return hotHighWater++;
    }

    /** The vector held in memory for {@code ordinal}: its matrix row, or for a cold one its decoded codes. */
    private float[] memoryVector(int ordinal) {
        int offset = offset(ordinal);
        if (offset >= 0) {
            return Arrays.copyOfRange(matrix, offset, offset + dims);
        }
        float[] decoded = new float[dims];
        quantizer.decode(codes, ~slots[ordinal] * dims, decoded, 0);
        return decoded;
    }

    private static final int SNAPSHOT_MAGIC = 0x52564753; // "RVGS"
    private static final int SNAPSHOT_VERSION = 3; // 3: with traversal codes and link scores (2 had neither)
    private static final byte FREE = 0;
    private static final byte LIVE = 1;
    private static final byte RETIRED = 2;

    /**
     * Writes the graph, the vectors it links and the id of each live row: what
     * {@link #fromSnapshot} needs to answer again without re-linking. Changes nothing, so it may
     * run beside searches (under the read lock): the pending rows must be linked before
     * ({@link #linkPending()}, under the write lock; jvector saves only a graph without mutations
     * in flight). Needs a graph and no cold row ({@link #hasColdTier()}: their vectors are not in memory).
     *
     * @throws IllegalStateException with pending rows or cold rows
     */
    void writeSnapshot(java.io.DataOutputStream out) throws java.io.IOException {
        if (slots != null) {
            throw new IllegalStateException("no snapshot of " + collection + " while it has cold rows");
        }
        if (pendingCount > 0) { // linking here would change the graph under a shared lock: two writers, or a search mid-insert
            throw new IllegalStateException("no snapshot of " + collection + " while " + pendingCount
                    + " rows wait to be linked");
        }
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
        for (int from = 0, end = highWater * dims; from < end; ) {
            int n = Math.min(end - from, floats.capacity() / Float.BYTES);
            floats.clear();
            floats.asFloatBuffer().put(matrix, from, n); // one bulk copy per 64 KiB, not a call per float
            out.write(floats.array(), 0, n * Float.BYTES);
            from += n;
        }
        graph.save(out);
    }

    /**
     * The collection as a snapshot left it — vectors and graph in place, no row live yet — for
     * {@link #claim}ing the stored rows that are unchanged since and {@link #finishReconcile()}.
     * Null when the snapshot was written with other dimensions or graph params, or in an older
     * format (the caller rebuilds).
     *
     * @throws java.io.IOException when the snapshot is not one (truncated, another format)
     */
    static CollectionIndex fromSnapshot(String collection, java.nio.ByteBuffer in, GraphParams params,
                                        HnswSettings settings, FullVectors store,
                                        java.util.function.LongSupplier clock) throws java.io.IOException {
        try {
            int magic = in.getInt();
            int version = in.getInt();
            if (magic != SNAPSHOT_MAGIC || version < 1 || version > SNAPSHOT_VERSION) {
                throw new java.io.IOException("not a graph snapshot of this version");
            }
            if (version < SNAPSHOT_VERSION) { // written before an upgrade: expected once, nobody must act
                org.slf4j.LoggerFactory.getLogger(CollectionIndex.class).info(
                        "graph snapshot of {} has format {}, this version reads {}: its graph is built once", collection,
                        version, SNAPSHOT_VERSION);
                return null;
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
            CollectionIndex index = new CollectionIndex(collection, dims, params, settings, store, clock);
            byte[] state = new byte[highWater];
            in.get(state);
            index.unclaimed = new HashMap<>();
            index.matrix = new float[Math.max(INITIAL_CAPACITY, highWater) * dims];
            index.rows = new Row[Math.max(INITIAL_CAPACITY, highWater)];
            index.touched = new int[index.rows.length];
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
        touch(ordinal);
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

    /**
     * Whether {@link #releaseSlack} would shrink the arrays: room for more than a sixteenth beyond
     * their trimmed size (growth by ×1.5 leaves up to a third unused) and no row put for
     * {@code quietNanos}.
     */
    boolean hasSlack(long quietNanos) {
        int trimmed = trimmedCapacity();
        return slots == null && rows.length > trimmed + (trimmed >> 4) && System.nanoTime() - lastPutNanos >= quietNanos;
    }

    /**
     * Shrinks the matrix, the per-row arrays and the graph's traversal codes to the rows held plus
     * a thirty-second; returns the bytes freed. A bulk load leaves up to a third of the matrix unused,
     * and a collection that is mostly read keeps it forever otherwise; the next put past the new
     * size grows the arrays by ×1.5 again. Not in tier mode (eviction compacts the hot matrix).
     */
    long releaseSlack() {
        if (slots != null) {
            return 0;
        }
        int capacity = trimmedCapacity();
        if (capacity >= rows.length) {
            return 0;
        }
        long before = vectorBytes() + (graph == null ? 0 : graph.traversalCodeBytes());
        matrix = Arrays.copyOf(matrix, capacity * dims);
        rows = Arrays.copyOf(rows, capacity);
        touched = Arrays.copyOf(touched, capacity);
        if (graph != null) {
            graph.trimCodes(capacity);
        }
        return before - vectorBytes() - (graph == null ? 0 : graph.traversalCodeBytes());
    }

    private int trimmedCapacity() {
        return Math.max(INITIAL_CAPACITY, highWater + (highWater >> 5));
    }

    /** Heap held by the vectors: the matrix, and with a cold tier its codes, their error bounds and the slot map. */
    long vectorBytes() {
        return (long) matrix.length * Float.BYTES + (codes == null ? 0 : codes.length)
                + (coldErrors == null ? 0 : coldErrors.length)
                + (slots == null ? 0 : (long) slots.length * Integer.BYTES);
    }

    private void retire(int ordinal) {
        if (rows[ordinal] != null && offset(ordinal) < 0) {
            coldRows--; // a cold row deleted or replaced: its node stays cold until cleanup
        }
        rows[ordinal] = null;
        for (int i = 0; i < pendingCount; i++) {
            if (pending[i] == ordinal) { // never linked: nothing in the graph to unlink
                pending[i] = pending[--pendingCount];
                freeOrdinal(ordinal);
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
            freeOrdinal(retired[i]);
        }
        retiredCount = 0;
        return count;
    }

    /** Puts {@code ordinal} on the free list, releasing its hot or cold slot in tier mode. */
    private void freeOrdinal(int ordinal) {
        if (slots != null) {
            int slot = slots[ordinal];
            if (slot >= 0) {
                freeHot = push(freeHot, freeHotCount++, slot);
            } else if (slot != NO_SLOT) {
                freeCold = push(freeCold, freeColdCount++, ~slot);
                coldSlotsUsed--;
            }
            slots[ordinal] = NO_SLOT;
        }
        free = push(free, freeCount++, ordinal);
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

    /** Whether hot {@code ordinal} holds {@code vector}. */
    private boolean sameVector(int ordinal, float[] vector) {
        int offset = offset(ordinal);
        return Arrays.equals(matrix, offset, offset + dims, vector, 0, dims);
    }

    /** A free ordinal (with a hot slot in tier mode), reused or appended. */
    private int allocate() {
        int ordinal;
        if (freeCount > 0) {
            ordinal = free[--freeCount];
        } else {
            if (highWater == rows.length) {
                int capacity = rows.length + (rows.length >> 1);
                if (slots == null) {
                    matrix = Arrays.copyOf(matrix, capacity * dims);
                } else {
                    int old = slots.length;
                    slots = Arrays.copyOf(slots, capacity);
                    Arrays.fill(slots, old, capacity, NO_SLOT);
                }
                rows = Arrays.copyOf(rows, capacity);
                touched = Arrays.copyOf(touched, capacity);
            }
            ordinal = highWater++;
        }
        if (slots != null) {
            slots[ordinal] = allocateHotSlot();
        }
        return ordinal;
    }

    /** {@code stack} with {@code value} at {@code index}, grown (×2) when full. */
    private static int[] push(int[] stack, int index, int value) {
        int[] out = index == stack.length ? Arrays.copyOf(stack, stack.length * 2) : stack;
        out[index] = value;
        return out;
    }
}
