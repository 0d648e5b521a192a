package io.ruvector.compose.runtime.health;

import java.util.Map;
import java.util.Objects;

/**
 * One part of a runtime as {@code /health/ready} reports it.
 *
 * @param name      kafka, capture, index, integrity or healing
 * @param condition where it stands
 * @param required  whether the runtime is ready only when this part is (searches and capture
 *                  need kafka, capture and index; integrity and healing are reported, not required)
 * @param detail    one line a person reads: what it does or what keeps it from being ready
 * @param facts     numbers a client can act on (lag, partitions, tables), JSON-friendly values
 */
public record PartHealth(String name, Condition condition, boolean required, String detail, Map<String, Object> facts) {

    public enum Condition {
        READY,
        STARTING,
        NOT_READY,
        /** Stopped for good: the process must be restarted (what a liveness probe reports). */
        FAILED
    }

    public PartHealth {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(detail, "detail");
        facts = facts == null ? Map.of() : Map.copyOf(facts);
    }

    public static PartHealth ready(String name, boolean required, String detail, Map<String, ?> facts) {
        return new PartHealth(name, Condition.READY, required, detail, facts == null ? null : Map.copyOf(facts));
    }

    public static PartHealth starting(String name, boolean required, String detail) {
        return new PartHealth(name, Condition.STARTING, required, detail, Map.of());
    }

    public boolean ready() {
        return condition == Condition.READY;
    }
}
