package io.ruvector.index.graph;

import io.github.jbellis.jvector.graph.ConcurrentNeighborMap;
import io.github.jbellis.jvector.graph.NodeArray;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import java.lang.reflect.Field;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each node's neighbour list as jvector holds it, scores included, in its (descending) order.
 * jvector 4.0.2 publishes a list's nodes ({@code getNeighborsIterator}) but not its scores; its
 * own {@code save} writes them but demands a graph without mutations in flight, a state it cannot
 * leave again. So the per-layer maps are read from the graph's {@code layers} field. When a
 * jvector version lacks it, {@link #of} says so (null) and the caller scores the links itself.
 */
final class StoredLinks {

    private static final Logger LOG = LoggerFactory.getLogger(StoredLinks.class);
    private static final Field LAYERS = layersField();

    private final List<?> layers;

    private StoredLinks(List<?> layers) {
        this.layers = layers;
    }

    /** The stored lists of {@code graph}, or null when this jvector does not let them be read. */
    static StoredLinks of(OnHeapGraphIndex graph) {
        if (LAYERS == null) {
            return null;
        }
        try {
            return new StoredLinks((List<?>) LAYERS.get(graph));
        } catch (IllegalAccessException | ClassCastException e) {
            return null;
        }
    }

    /** {@code node}'s list on {@code level}: nodes and scores, best first; null when the node is not on it. */
    NodeArray neighbours(int level, int node) {
        return ((ConcurrentNeighborMap) layers.get(level)).get(node);
    }

    private static Field layersField() {
        try {
            Field field = OnHeapGraphIndex.class.getDeclaredField("layers");
            field.setAccessible(true);
            return field.getType() == List.class ? field : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.info("jvector's stored link scores cannot be read ({}): graph snapshots score each link", e.toString());
            return null;
        }
    }
}
