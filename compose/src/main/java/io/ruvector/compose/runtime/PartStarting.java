package io.ruvector.compose.runtime;

import java.util.Objects;

/**
 * A part of the runtime this instance runs is not started yet: the caller should retry shortly
 * (the HTTP API answers 503 with {@code Retry-After}). Distinct from a part this instance does not
 * run at all ({@code --index-only}, {@code --capture-only}), which is a plain
 * {@link IllegalStateException}.
 */
public final class PartStarting extends IllegalStateException {

    private final String part;

    public PartStarting(String part) {
        super("the " + Objects.requireNonNull(part, "part") + " of this instance is still starting; retry in a second");
        this.part = part;
    }

    /** The part's name as {@code /health/ready} lists it: kafka, capture, index, integrity, healing. */
    public String part() {
        return part;
    }
}
