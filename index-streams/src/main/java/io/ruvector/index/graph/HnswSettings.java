package io.ruvector.index.graph;

import io.ruvector.index.query.KnnRequest;
import io.ruvector.schemas.Metric;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the HNSW graphs and of the choice between graph and exact search. The compact
 * constructor validates, naming the setting; {@link #builder()} starts from the defaults and
 * {@link #DEFAULT} holds them. HNSW-NOTES.md describes each setting and how the defaults were
 * measured.
 *
 * @param defaultM                   HNSW {@code m} of a collection whose spec has not been seen (layer 0 gets 2·m links)
 * @param defaultEfConstruction      HNSW {@code ef_construction} of a collection whose spec has not been seen
 * @param defaultEfSearch            candidates a graph search collects when the request names no {@code ef_search}
 * @param exactBelowRows             a collection's graph is built once it has this many live rows in a partition;
 *                                   below it searches are exact
 * @param filterExactMaxMatches      a filtered search estimated to match at most this many rows is exact
 * @param filterExactMaxSelectivity  a filtered search estimated to match less than this fraction of rows is exact
 * @param filterSampleSize           rows sampled to estimate a filter's matches (every row when there are fewer)
 * @param cleanupDeletedFraction     maintenance removes a graph's deleted nodes once they are this fraction of its nodes
 * @param maintenanceInterval        how often the maintenance job looks for graphs to clean
 * @param specRefreshInterval        how often each partition re-reads the collection specs (M, ef_construction, metric)
 * @param neighborOverflow           jvector: how far a node's links may overflow the degree before pruning
 * @param alpha                      jvector: diversity pruning; above 1 keeps longer links
 * @param graphSnapshotInterval      how often a store's flush writes its graphs (see the builder)
 * @param graphSnapshotQuiet         a burst of changes (see {@code graphSnapshotBurstRows}) followed by this long
 *                                   without a change has its graphs written at once, not at the next interval
 * @param graphSnapshotBurstRows     changes since the last snapshot that make a burst: at least this many, and at
 *                                   least a twentieth of the partition's rows
 * @param traversalCodesMinDims      graphs of collections with at least this many dimensions are searched on int8
 *                                   codes of their nodes, the candidates re-scored at full precision; 0 = never
 * @param traversalCodeBits          bits per component of those codes at most: 4 = 4-bit codes (half the bytes
 *                                   to fetch) where a fit's sample shows they rank neighbours well, else int8;
 *                                   8 = always int8
 */
public record HnswSettings(int defaultM, int defaultEfConstruction, int defaultEfSearch, int exactBelowRows,
                           int filterExactMaxMatches, double filterExactMaxSelectivity, int filterSampleSize,
                           double cleanupDeletedFraction, Duration maintenanceInterval, Duration specRefreshInterval,
                           float neighborOverflow, float alpha, Duration graphSnapshotInterval,
                           Duration graphSnapshotQuiet, int graphSnapshotBurstRows, int traversalCodesMinDims, int traversalCodeBits) {

    /** Every default (they live in {@link Builder}'s fields); HNSW-NOTES.md says how {@code defaultEfSearch} was chosen. */
    public static final HnswSettings DEFAULT = builder().build();

    public HnswSettings {
        GraphParams.checkM(defaultM, "index default hnsw m");
        GraphParams.checkEfConstruction(defaultEfConstruction, "index default hnsw ef_construction");
        if (defaultEfSearch < 1 || defaultEfSearch > KnnRequest.MAX_EF_SEARCH) {
            throw new IllegalArgumentException("index default ef_search must be in 1.." + KnnRequest.MAX_EF_SEARCH + ", was "
                    + defaultEfSearch);
        }
        atLeastZero(exactBelowRows, "index exact-below-rows");
        atLeastZero(filterExactMaxMatches, "index filter exact max matches");
        if (!(filterExactMaxSelectivity >= 0 && filterExactMaxSelectivity <= 1)) {
            throw new IllegalArgumentException("index filter exact max selectivity must be in 0..1, was "
                    + filterExactMaxSelectivity);
        }
        if (filterSampleSize < 1) {
            throw new IllegalArgumentException("index filter sample size must be >= 1, was " + filterSampleSize);
        }
        if (!(cleanupDeletedFraction > 0 && cleanupDeletedFraction <= 1)) {
            throw new IllegalArgumentException("index cleanup deleted fraction must be in (0, 1], was "
                    + cleanupDeletedFraction);
        }
        positive(maintenanceInterval, "index maintenance interval");
        positive(specRefreshInterval, "index spec refresh interval");
        if (!(neighborOverflow >= 1)) {
            throw new IllegalArgumentException("index hnsw neighbor overflow must be >= 1, was " + neighborOverflow);
        }
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("index hnsw alpha must be > 0, was " + alpha);
        }
        positive(graphSnapshotInterval, "index graph snapshot interval");
        positive(graphSnapshotQuiet, "index graph snapshot quiet time");
        if (graphSnapshotBurstRows < 1) {
            throw new IllegalArgumentException("index graph snapshot burst rows must be >= 1, was " + graphSnapshotBurstRows);
        }
        atLeastZero(traversalCodesMinDims, "index traversal codes min dims");
        if (traversalCodeBits != 8 && traversalCodeBits != 4) {
            throw new IllegalArgumentException("index traversal code bits must be 8 or 4, was " + traversalCodeBits);
        }
    }

    /** Whether a graph over {@code dims}-dimensional vectors walks on int8 codes. */
    public boolean traversalCodes(int dims) {
        return traversalCodesMinDims > 0 && dims >= traversalCodesMinDims;
    }

    /** The params of a collection whose spec has not been seen yet: default m, ef_construction, L2. */
    public GraphParams defaultParams() {
        return new GraphParams(defaultM, defaultEfConstruction, Metric.L2);
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    private static void atLeastZero(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Mutable helper for readable construction, starting from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private int defaultM = 16;
        private int defaultEfConstruction = 64;
        private int defaultEfSearch = 40;
        private int exactBelowRows = 2_000;
        private int filterExactMaxMatches = 2_000;
        private double filterExactMaxSelectivity = 0.01;
        private int filterSampleSize = 1_000;
        private double cleanupDeletedFraction = 0.10;
        private Duration maintenanceInterval = Duration.ofSeconds(1);
        private Duration specRefreshInterval = Duration.ofSeconds(5);
        private float neighborOverflow = 1.2f;
        private float alpha = 1.2f;
        private Duration graphSnapshotInterval = Duration.ofSeconds(60);
        private Duration graphSnapshotQuiet = Duration.ofSeconds(10);
        private int graphSnapshotBurstRows = 1_000;
        private int traversalCodesMinDims = 64;
        private int traversalCodeBits = 4;

        private Builder() {
        }

        public Builder defaultM(int value) {
            defaultM = value;
            return this;
        }

        public Builder defaultEfConstruction(int value) {
            defaultEfConstruction = value;
            return this;
        }

        public Builder defaultEfSearch(int value) {
            defaultEfSearch = value;
            return this;
        }

        public Builder exactBelowRows(int value) {
            exactBelowRows = value;
            return this;
        }

        /** Filtered searches are exact when estimated matches are at most {@code maxMatches} or below {@code maxSelectivity}. */
        public Builder filterExact(int maxMatches, double maxSelectivity) {
            filterExactMaxMatches = maxMatches;
            filterExactMaxSelectivity = maxSelectivity;
            return this;
        }

        public Builder filterSampleSize(int value) {
            filterSampleSize = value;
            return this;
        }

        public Builder cleanupDeletedFraction(double value) {
            cleanupDeletedFraction = value;
            return this;
        }

        public Builder maintenanceInterval(Duration value) {
            maintenanceInterval = value;
            return this;
        }

        public Builder specRefreshInterval(Duration value) {
            specRefreshInterval = value;
            return this;
        }

        public Builder neighborOverflow(float value) {
            neighborOverflow = value;
            return this;
        }

        public Builder alpha(float value) {
            alpha = value;
            return this;
        }

        /**
         * How often a store's flush writes its graphs to disk (besides every close): a restart
         * loads them and replays only the rows changed since, instead of rebuilding.
         */
        public Builder graphSnapshotInterval(Duration value) {
            graphSnapshotInterval = value;
            return this;
        }

        /**
         * A partition that applied a burst of changes since its last snapshot (at least
         * {@code burstRows}, and at least a twentieth of its rows) and then none for {@code quiet}
         * writes its graphs at once instead of at the next interval: a crash after a bulk load then
         * relinks nothing, where it relinked the whole load for up to an interval.
         */
        public Builder graphSnapshotAfterBurst(Duration quiet, int burstRows) {
            graphSnapshotQuiet = quiet;
            graphSnapshotBurstRows = burstRows;
            return this;
        }

        /**
         * Graphs of collections with at least {@code value} dimensions are searched on int8 codes
         * (a quarter of the bytes per visited node, ¼ more memory); 0 keeps every graph on float32.
         */
        public Builder traversalCodesMinDims(int value) {
            traversalCodesMinDims = value;
            return this;
        }

        public Builder traversalCodeBits(int value) {
            traversalCodeBits = value;
            return this;
        }

        public HnswSettings build() {
            return new HnswSettings(defaultM, defaultEfConstruction, defaultEfSearch, exactBelowRows,
                    filterExactMaxMatches, filterExactMaxSelectivity, filterSampleSize, cleanupDeletedFraction,
                    maintenanceInterval, specRefreshInterval, neighborOverflow, alpha, graphSnapshotInterval,
                    graphSnapshotQuiet, graphSnapshotBurstRows, traversalCodesMinDims, traversalCodeBits);
        }
    }
}
