package io.ruvector.compose.runtime;

import java.util.Objects;

/**
 * A call needs a part this process does not run at all (its roles leave it out): the caller must
 * ask another process. The HTTP API answers {@code 404 <part>_not_here}, naming this process's
 * roles. Distinct from {@link PartStarting}, a part this process runs that is not up yet.
 */
public final class PartNotHere extends RuntimeException {

    private final String part;

    public PartNotHere(String part, String detail) {
        super(detail);
        this.part = Objects.requireNonNull(part, "part");
    }

    /** capture, index, integrity or healing. */
    public String part() {
        return part;
    }
}
