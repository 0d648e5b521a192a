package io.ruvector.integrity.contract;

import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.PartitionStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What "normal" looks like for one scope: the shape of its centroids and of its row distribution
 * as first seen, slowly following healthy readings. Real k-means clusters are never balanced
 * (Fashion-MNIST's k = 16 shares range from 2 % to 15 %) and hash-routed rows are not always even
 * either; scored against perfect balance such a collection would sit in STRESS from the first
 * sample. Scored against its own baseline it is healthy until its shape <em>changes</em>.
 *
 * <p>Resets: the centroid part when the number of centroids changes (k = min(16, sampled / 10)
 * grows with a young collection; a different k is a different clustering), the row part when the
 * set of partitions changes. Both start from the reading that caused the reset, which therefore
 * scores as healthy. A reading whose centroids (rows) all score at least {@link #ABSORB_HEALTH}
 * is blended in with weight {@link #ALPHA}, so a slow legitimate drift is followed; an unhealthy
 * reading is never absorbed, so a sudden shift stays visible until it is undone or the baseline
 * resets.
 *
 * @param centroidCount   K of the centroid baseline, 0 when there is none yet
 * @param shareById       baseline size share by centroid id
 * @param relDistanceById baseline meanDistance / mean of meanDistances by centroid id
 * @param rowLoadByPartition baseline vectorCount / mean vectorCount by partition
 * @param sinceMillis     when the centroid part was (re)set, sample time
 * @param readings        readings absorbed since then (the first included)
 * @param loadingSinceMillis when the scope's initial load began, 0 when it is not loading (see
 *                        {@link #isLoading()})
 */
public record Baseline(int centroidCount, Map<String, Double> shareById, Map<String, Double> relDistanceById,
                       Map<Integer, Double> rowLoadByPartition, long sinceMillis, long readings,
                       long loadingSinceMillis) {

    /** Calibrated health at or above which a reading is blended into the baseline. */
    public static final double ABSORB_HEALTH = 0.8;
    /** Weight of an absorbed reading: about the last 10 healthy readings (≈ 100 s) dominate. */
    public static final double ALPHA = 0.1;
    private static final int FORMAT = 2;
    /** An initial load that has not caught up after this long is scored like any backlog. */
    public static final long MAX_LOADING_MILLIS = 60 * 60 * 1000L;

    public Baseline {
        shareById = Map.copyOf(shareById);
        relDistanceById = Map.copyOf(relDistanceById);
        rowLoadByPartition = Map.copyOf(rowLoadByPartition);
    }

    public static final Baseline EMPTY = new Baseline(0, Map.of(), Map.of(), Map.of(), 0, 0, 0);

    /**
     * Whether the scope is in its initial load: the capture reported its table's snapshot running
     * and the index has not caught up with it since. A loading collection's backlog is the load
     * itself, and its shape is still forming: its lag is not scored, and its baseline follows
     * every reading, so the reading at which it has caught up becomes what is normal.
     */
    public boolean isLoading() {
        return loadingSinceMillis > 0;
    }

    /**
     * The baseline to score {@code telemetry} against: {@code stored} with any part that is
     * missing or no longer comparable (other K, other partitions) set from {@code telemetry}.
     */
    public static Baseline calibrate(Baseline stored, Telemetry telemetry, long atMillis) {
        Baseline base = stored == null ? EMPTY : stored;
        boolean snapshot = telemetry.cdc().map(c -> c.getSnapshotLoading()).orElse(false);
        long loadingSince = base.loadingSinceMillis > 0 ? base.loadingSinceMillis : snapshot ? atMillis : 0;
        if (loadingSince > 0) {
            // still forming: this reading is the baseline (it scores healthy against itself)
            List<CentroidStats> now = telemetry.centroids();
            return new Baseline(now.isEmpty() ? base.centroidCount : now.size(),
                    now.isEmpty() ? base.shareById : shares(now), now.isEmpty() ? base.relDistanceById : relDistances(now),
                    telemetry.partitions().isEmpty() ? base.rowLoadByPartition : rowLoads(telemetry.partitions().values()),
                    atMillis, 0, loadingSince);
        }
        List<CentroidStats> centroids = telemetry.centroids();
        int k = base.centroidCount;
        Map<String, Double> shares = base.shareById;
        Map<String, Double> rels = base.relDistanceById;
        long since = base.sinceMillis;
        long readings = base.readings;
        if (!centroids.isEmpty() && centroids.size() != base.centroidCount) {
            k = centroids.size();
            shares = shares(centroids);
            rels = relDistances(centroids);
            since = atMillis;
            readings = 0; // absorb() counts this reading, which always scores healthy against itself
        }
        Map<Integer, Double> rows = base.rowLoadByPartition;
        if (!telemetry.partitions().isEmpty() && !rows.keySet().equals(telemetry.partitions().keySet())) {
            rows = rowLoads(telemetry.partitions().values());
        }
        return new Baseline(k, shares, rels, rows, since, readings, 0);
    }

    /**
     * This baseline after a reading in which the initial load was {@code caughtUp} (the capture's
     * snapshot over, every partition within its lag budget): no longer loading then, or after
     * {@link #MAX_LOADING_MILLIS}.
     */
    public Baseline loadEnded(boolean caughtUp, long atMillis) {
        if (!isLoading() || !caughtUp && atMillis - loadingSinceMillis < MAX_LOADING_MILLIS) {
            return this;
        }
        return new Baseline(centroidCount, shareById, relDistanceById, rowLoadByPartition, sinceMillis, readings, 0);
    }

    /**
     * This baseline with {@code telemetry} blended in where it scored healthy against it.
     *
     * @param centroidHealth the calibrated health of each centroid of {@code telemetry}
     * @param rowSkewHealthy whether every partition's calibrated row skew left it healthy
     */
    public Baseline absorb(Telemetry telemetry, Map<String, Double> centroidHealth, boolean rowSkewHealthy) {
        Map<String, Double> shares = shareById;
        Map<String, Double> rels = relDistanceById;
        long n = readings;
        List<CentroidStats> centroids = telemetry.centroids();
        boolean centroidsHealthy = !centroids.isEmpty() && centroids.size() == centroidCount
                && centroidHealth.values().stream().allMatch(h -> h >= ABSORB_HEALTH);
        if (centroidsHealthy) {
            shares = blend(shareById, shares(centroids));
            rels = blend(relDistanceById, relDistances(centroids));
            n++;
        }
        Map<Integer, Double> rows = rowLoadByPartition;
        if (rowSkewHealthy && !telemetry.partitions().isEmpty()
                && rows.keySet().equals(telemetry.partitions().keySet())) {
            rows = blend(rowLoadByPartition, rowLoads(telemetry.partitions().values()));
        }
        return new Baseline(centroidCount, shares, rels, rows, sinceMillis, n, loadingSinceMillis);
    }

    /** Baseline share of centroid {@code id} (0 when unknown). */
    double shareOf(String id) {
        return shareById.getOrDefault(id, 0.0);
    }

    double relDistanceOf(String id) {
        return relDistanceById.getOrDefault(id, 0.0);
    }

    /** The baseline shares, largest first: the shape of the clustering regardless of ids. */
    double[] sharesByRank() {
        return descending(shareById.values());
    }

    double[] relDistancesByRank() {
        return descending(relDistanceById.values());
    }

    /** Baseline vectorCount / mean of partition {@code p}, at least 1 (a small partition may grow to the mean). */
    double expectedRowLoad(int p) {
        return Math.max(1.0, rowLoadByPartition.getOrDefault(p, 1.0));
    }

    private static double[] descending(Collection<Double> values) {
        double[] xs = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        for (int i = 0, j = xs.length - 1; i < j; i++, j--) {
            double t = xs[i];
            xs[i] = xs[j];
            xs[j] = t;
        }
        return xs;
    }

    static Map<String, Double> shares(List<CentroidStats> centroids) {
        Map<String, Double> m = new TreeMap<>();
        centroids.forEach(c -> m.put(c.getId(), Math.max(0.0, c.getSizeShare())));
        return m;
    }

    static Map<String, Double> relDistances(List<CentroidStats> centroids) {
        double mean = CentroidHealth.meanDistance(centroids);
        Map<String, Double> m = new TreeMap<>();
        centroids.forEach(c -> m.put(c.getId(), PartitionHealth.ratio(c.getMeanDistance(), mean)));
        return m;
    }

    static Map<Integer, Double> rowLoads(Collection<PartitionStats> partitions) {
        double mean = PartitionHealth.LoadMeans.of(partitions).vectorCount();
        Map<Integer, Double> m = new TreeMap<>();
        partitions.forEach(p -> m.put(p.getPartition(), PartitionHealth.ratio(p.getVectorCount(), mean)));
        return m;
    }

    private static <K> Map<K, Double> blend(Map<K, Double> old, Map<K, Double> current) {
        Map<K, Double> m = new TreeMap<>();
        current.forEach((key, value) -> {
            Double before = old.get(key);
            m.put(key, before == null ? value : (1 - ALPHA) * before + ALPHA * value);
        });
        return m;
    }

    /** Compact binary form for the baselines store (not Avro: the schemas module is frozen). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(centroidCount);
            out.writeLong(sinceMillis);
            out.writeLong(readings);
            out.writeLong(loadingSinceMillis);
            out.writeInt(shareById.size());
            for (var e : new TreeMap<>(shareById).entrySet()) {
                out.writeUTF(e.getKey());
                out.writeDouble(e.getValue());
                out.writeDouble(relDistanceById.getOrDefault(e.getKey(), 0.0));
            }
            out.writeInt(rowLoadByPartition.size());
            for (var e : new TreeMap<>(rowLoadByPartition).entrySet()) {
                out.writeInt(e.getKey());
                out.writeDouble(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@link #toBytes()}; an unknown format yields null (the scope then recalibrates). */
    public static Baseline fromBytes(byte[] data) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readByte() != FORMAT) {
                return null;
            }
            int k = in.readInt();
            long since = in.readLong();
            long readings = in.readLong();
            long loadingSince = in.readLong();
            int n = in.readInt();
            Map<String, Double> shares = new TreeMap<>();
            Map<String, Double> rels = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                shares.put(id, in.readDouble());
                rels.put(id, in.readDouble());
            }
            int m = in.readInt();
            Map<Integer, Double> rows = new TreeMap<>();
            for (int i = 0; i < m; i++) {
                rows.put(in.readInt(), in.readDouble());
            }
            return new Baseline(k, shares, rels, rows, since, readings, loadingSince);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "Baseline[k=" + centroidCount + ", shares=" + Arrays.toString(sharesByRank()) + ", rows="
                + rowLoadByPartition + ", since=" + sinceMillis + ", readings=" + readings
                + (isLoading() ? ", loading since " + loadingSinceMillis : "") + "]";
    }
}
