package io.ruvector.integrity.graph;

import java.util.Objects;

/**
 * Identity of one node of the contracted operational graph, e.g. {@code partition:3} or
 * {@code standby:3@host-b}.
 *
 * @param type the entity kind ({@code ingest}, {@code partition}, {@code instance},
 *             {@code standby}, {@code centroid}, {@code maintenance})
 * @param id   the entity id within its kind
 */
public record NodeRef(String type, String id) {

    public NodeRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    @Override
    public String toString() {
        return type + ":" + id;
    }
}
