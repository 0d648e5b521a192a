package io.ruvector.compose.http;

import io.ruvector.schemas.CollectionSpec;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The JSON form of a registered collection (snake_case names, lower-case enums). */
record CollectionView(String name, String table, String idColumn, String vectorColumn, String vectorType,
                      int dimensions, String metric, String tenantColumn, List<String> metadataColumns,
                      CreateCollectionBody.IndexOptions index, int partitions, String createdAt,
                      TiersHandler.PolicyView tiers, ShadowHandler.PolicyView shadow) {

    static CollectionView of(CollectionSpec spec) {
        return new CollectionView(spec.getName(), spec.getTable(), spec.getIdColumn(), spec.getVectorColumn(),
                spec.getVectorType().name().toLowerCase(Locale.ROOT), spec.getDimensions(),
                spec.getMetric().name().toLowerCase(Locale.ROOT), spec.getTenantColumn(),
                List.copyOf(spec.getMetadataColumns()),
                new CreateCollectionBody.IndexOptions(spec.getHnswM(), spec.getHnswEfConstruction()),
                spec.getPartitions(), Instant.ofEpochMilli(spec.getCreatedAtMillis()).toString(),
                TiersHandler.PolicyView.of(spec.getTiers()), ShadowHandler.PolicyView.of(spec.getShadow()));
    }
}
