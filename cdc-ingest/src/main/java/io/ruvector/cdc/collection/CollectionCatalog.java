package io.ruvector.cdc.collection;

import io.ruvector.schemas.CollectionSpec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The registered collections as the capture sees them, by name and by table. Fed from the
 * compacted collections topic; listeners hear about every new or changed collection.
 */
public final class CollectionCatalog {

    private final Map<String, CollectionSpec> byName = new ConcurrentHashMap<>();
    private final Map<String, CollectionSpec> byTable = new ConcurrentHashMap<>();
    private final List<Consumer<CollectionSpec>> listeners = new CopyOnWriteArrayList<>();

    /** Adds or replaces a collection; returns false when the same spec was already there. */
    public boolean put(CollectionSpec spec) {
        Objects.requireNonNull(spec, "spec");
        CollectionSpec previous = byName.put(spec.getName(), spec);
        if (spec.equals(previous)) {
            return false;
        }
        if (previous != null && !previous.getTable().equals(spec.getTable())) {
            byTable.remove(previous.getTable(), previous);
        }
        CollectionSpec other = byTable.put(spec.getTable(), spec);
        if (other != null && !other.getName().equals(spec.getName())) {
            byName.remove(other.getName(), other);
        }
        listeners.forEach(l -> l.accept(spec));
        return true;
    }

    public CollectionSpec byName(String name) {
        return byName.get(name);
    }

    /** The collection registered for a schema-qualified table, or null. */
    public CollectionSpec byTable(String table) {
        return byTable.get(table);
    }

    public Set<String> tables() {
        return new TreeSet<>(byTable.keySet());
    }

    public List<CollectionSpec> all() {
        return byName.values().stream().sorted((a, b) -> a.getName().compareTo(b.getName())).toList();
    }

    public void onChange(Consumer<CollectionSpec> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }
}
