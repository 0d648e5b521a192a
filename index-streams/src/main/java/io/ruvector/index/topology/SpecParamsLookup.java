package io.ruvector.index.topology;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.GraphParamsLookup;
import io.ruvector.schemas.CollectionSpec;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graph params from the collection specs in the global store: {@code hnswM},
 * {@code hnswEfConstruction} and the default {@code metric}. A spec with params out of pgvector's
 * bounds is logged once per lookup and treated as unknown (the defaults apply) rather than
 * stopping the stream. Called rarely: when a collection first appears in a partition, on each
 * spec refresh and on a rebuild.
 */
final class SpecParamsLookup implements GraphParamsLookup {

    private static final Logger LOG = LoggerFactory.getLogger(SpecParamsLookup.class);

    private final ReadOnlyKeyValueStore<String, CollectionSpec> specs;

    SpecParamsLookup(ReadOnlyKeyValueStore<String, CollectionSpec> specs) {
        this.specs = Objects.requireNonNull(specs, "specs");
    }

    @Override
    public Optional<GraphParams> find(String collection) {
        CollectionSpec spec = specs.get(collection);
        if (spec == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new GraphParams(spec.getHnswM(), spec.getHnswEfConstruction(), spec.getMetric()));
        } catch (IllegalArgumentException e) {
            LOG.warn("Collection {} has invalid index params ({}); using the defaults", collection, e.getMessage());
            return Optional.empty();
        }
    }
}
