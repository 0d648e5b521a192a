package io.ruvector.healing.classify;

import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import java.util.List;
import java.util.Objects;

/**
 * What the classifier looks at for one scope: its latest integrity state (witness edges, policy
 * budgets) and the latest sample of each reporter of that scope (index instances and the CDC
 * capture). The caller picks the samples; the classifier does not filter them by scope.
 *
 * @param state   the scope's latest state
 * @param samples the latest sample of each reporter, any order
 */
public record Observation(IntegrityState state, List<IntegritySample> samples) {

    public Observation {
        Objects.requireNonNull(state, "state");
        samples = List.copyOf(Objects.requireNonNull(samples, "samples"));
    }
}
