package io.ruvector.index.cluster;

import java.util.Map;
import java.util.Set;

/**
 * Some partitions could not answer (moving during a rebalance, their host down): the caller gets
 * no partial answer, because a top-k that silently skips partitions is wrong, not approximate.
 */
public final class PartitionsUnavailableException extends IllegalStateException {

    private final Set<Integer> partitions;

    public PartitionsUnavailableException(Map<Integer, String> reasons) {
        super("partitions " + reasons.keySet() + " cannot answer right now: " + reasons);
        this.partitions = Set.copyOf(reasons.keySet());
    }

    /** The partitions that did not answer. */
    public Set<Integer> partitions() {
        return partitions;
    }
}
