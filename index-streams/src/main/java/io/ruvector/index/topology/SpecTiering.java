package io.ruvector.index.topology;

import io.ruvector.index.store.Tiering;
import io.ruvector.index.store.TieringLookup;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.TierPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tier policies of the collection specs, copied on the stream thread (at init and each spec
 * refresh) so that the maintenance thread reads an immutable map, never the global store. A
 * policy out of bounds is logged and ignored: the collection then has none.
 */
final class SpecTiering {

    private static final Logger LOG = LoggerFactory.getLogger(SpecTiering.class);

    private SpecTiering() {
    }

    static TieringLookup copyOf(ReadOnlyKeyValueStore<String, CollectionSpec> specs) {
        Map<String, Tiering> policies = new HashMap<>();
        try (KeyValueIterator<String, CollectionSpec> all = specs.all()) {
            while (all.hasNext()) {
                CollectionSpec spec = all.next().value;
                TierPolicy policy = spec == null ? null : spec.getTiers();
                if (policy == null) {
                    continue;
                }
                try {
                    policies.put(spec.getName(), new Tiering(Duration.ofSeconds(policy.getHotSeconds()),
                            Duration.ofSeconds(policy.getWarmSeconds()), Duration.ofSeconds(policy.getColdSeconds())));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Collection {} has an invalid tier policy ({}); no automatic tiering", spec.getName(), e.getMessage());
                }
            }
        }
        Map<String, Tiering> copy = Map.copyOf(policies);
        return collection -> Optional.ofNullable(copy.get(collection));
    }
}
