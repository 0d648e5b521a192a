package io.ruvector.compose.runtime.health;

import java.util.List;

/**
 * The runtime's health at one moment: ready when every required part is, live unless a part has
 * failed for good.
 *
 * @param uptimeMillis since the runtime began to start
 * @param parts        the parts this instance runs, in start order
 */
public record HealthReport(long uptimeMillis, List<PartHealth> parts) {

    public HealthReport {
        parts = List.copyOf(parts);
    }

    public boolean ready() {
        return parts.stream().filter(PartHealth::required).allMatch(PartHealth::ready);
    }

    public boolean live() {
        return parts.stream().noneMatch(p -> p.condition() == PartHealth.Condition.FAILED);
    }

    /** ready, starting (a required part has not started yet), not_ready or failed. */
    public String status() {
        if (!live()) {
            return "failed";
        }
        if (ready()) {
            return "ready";
        }
        return parts.stream().anyMatch(p -> p.required() && p.condition() == PartHealth.Condition.STARTING)
                ? "starting" : "not_ready";
    }

    /** The first required part that is not ready, one line; empty when ready. */
    public String firstProblem() {
        return parts.stream().filter(p -> p.required() && !p.ready()).findFirst()
                .map(p -> p.name() + ": " + p.detail()).orElse("");
    }
}
