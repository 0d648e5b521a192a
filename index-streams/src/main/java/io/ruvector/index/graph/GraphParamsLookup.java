package io.ruvector.index.graph;

import java.util.Optional;

/**
 * Where a partition finds a collection's graph params: in the topology, the {@code CollectionSpec}
 * global store; empty until the spec has been seen (the partition then uses
 * {@link HnswSettings#defaultParams()}).
 */
@FunctionalInterface
public interface GraphParamsLookup {

    /** Knows no collection: every graph uses the defaults. */
    GraphParamsLookup NONE = collection -> Optional.empty();

    Optional<GraphParams> find(String collection);
}
