package io.ruvector.healing.strategy;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What the engine needs to know about a remediation strategy to choose it and to police it; the
 * command itself is built and applied elsewhere (by the strategy's named executor).
 *
 * @param name              the strategy name ({@code io.ruvector.schemas.healing.Strategies})
 * @param handles           the problem class names it fixes
 * @param impact            disruption, 0..1; automatic healing only picks up to the impact limit
 * @param reversible        can be rolled back when not verified
 * @param estimatedDuration expected run time; the engine times out at twice this
 * @param requiresApproval  waits for an operator's approval by default
 * @param available         an executor exists; an unavailable strategy is listed, never selected
 * @param unavailableReason why it is unavailable; empty when available
 */
public record StrategyDescriptor(String name, Set<String> handles, double impact, boolean reversible,
                                 Duration estimatedDuration, boolean requiresApproval, boolean available,
                                 String unavailableReason) {

    public StrategyDescriptor {
        Objects.requireNonNull(name, "name");
        handles = Set.copyOf(Objects.requireNonNull(handles, "handles"));
        Objects.requireNonNull(estimatedDuration, "estimatedDuration");
        if (!(impact >= 0 && impact <= 1)) {
            throw new IllegalArgumentException("impact of " + name + " must be in [0, 1], was " + impact);
        }
        if (estimatedDuration.isNegative()) {
            throw new IllegalArgumentException("estimatedDuration of " + name + " must be >= 0, was "
                    + estimatedDuration);
        }
        unavailableReason = unavailableReason == null ? "" : unavailableReason;
        if (!available && unavailableReason.isBlank()) {
            throw new IllegalArgumentException("unavailableReason of " + name + " must say why it is unavailable");
        }
        if (available) {
            unavailableReason = "";
        }
    }

    public boolean handles(String problemClass) {
        return handles.contains(problemClass);
    }

    /** This descriptor marked unavailable for {@code reason}. */
    public StrategyDescriptor unavailable(String reason) {
        return new StrategyDescriptor(name, handles, impact, reversible, estimatedDuration, requiresApproval, false,
                reason);
    }
}
