package io.ruvector.index.maintenance;

import io.ruvector.index.telemetry.IndexTelemetry;
import io.ruvector.schemas.CentroidStats;
import java.util.List;
import java.util.Objects;

/** Where {@code rebuild_centroids} recomputes and re-installs a collection's integrity centroids. */
public interface CentroidRebuilder {

    /** The centroids samples carry now. */
    List<CentroidStats> current(String collection);

    /** Recomputes and installs the centroids now; returns the new set. */
    List<CentroidStats> rebuild(String collection);

    /** Installs {@code centroids} (a previous set, on rollback). */
    void install(String collection, List<CentroidStats> centroids);

    /** The centroids of {@code telemetry}, the samples' source. */
    static CentroidRebuilder of(IndexTelemetry telemetry) {
        Objects.requireNonNull(telemetry, "telemetry");
        return new CentroidRebuilder() {
            @Override
            public List<CentroidStats> current(String collection) {
                return telemetry.centroids(collection);
            }

            @Override
            public List<CentroidStats> rebuild(String collection) {
                return telemetry.rebuildCentroids(collection);
            }

            @Override
            public void install(String collection, List<CentroidStats> centroids) {
                telemetry.installCentroids(collection, centroids);
            }
        };
    }
}
