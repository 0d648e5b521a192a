package io.ruvector.integrity.topology;

import java.util.Objects;

/**
 * What one integrity state is about: a collection, or one tenant of it. Its key on the state
 * topic and in the stores is {@code collection} or {@code collection/tenant} (collection names
 * never contain '/', so the first '/' splits).
 *
 * @param collection the collection
 * @param tenant     the tenant, or null for the whole collection
 */
public record Scope(String collection, String tenant) {

    public Scope {
        Objects.requireNonNull(collection, "collection");
        if (collection.isEmpty() || collection.indexOf('/') >= 0) {
            throw new IllegalArgumentException("collection name '" + collection + "' must be non-empty without '/'");
        }
        if (tenant != null && tenant.isEmpty()) {
            tenant = null;
        }
    }

    public static Scope parse(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? new Scope(key, null) : new Scope(key.substring(0, slash), key.substring(slash + 1));
    }

    public String key() {
        return tenant == null ? collection : collection + "/" + tenant;
    }

    /** The whole collection's scope (itself when it is one). */
    public Scope collectionScope() {
        return tenant == null ? this : new Scope(collection, null);
    }

    @Override
    public String toString() {
        return key();
    }
}
