package io.ruvector.index.store;

import java.util.Optional;

/** Where a partition finds a collection's tier policy: in the topology, its {@code CollectionSpec}. */
@FunctionalInterface
public interface TieringLookup {

    /** No collection has a tier policy: rows move only by {@code evict_cold_data}. */
    TieringLookup NONE = collection -> Optional.empty();

    Optional<Tiering> find(String collection);
}
