package io.ruvector.index.telemetry;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Changes stored per second, per partition and collection, over the last {@code span} of sample
 * windows rather than the last window alone. A stream thread applies what one poll returned, so
 * within a window of a second or two one partition may get a burst of three times the mean while
 * its neighbours wait; over ten seconds the arrival rate shows through. Skew is judged on this
 * rate (a partition that really receives more keeps its excess), and short sample intervals do not
 * turn poll bursts into hotspots. Used by the telemetry round only (not thread-safe).
 */
final class ApplyRates {

    private record Slice(long millis, Map<Integer, Map<String, Long>> stored) {
    }

    private final long spanMillis;
    private final Deque<Slice> slices = new ArrayDeque<>();

    /** @param spanMillis how much recent time the rate covers (at least the last window) */
    ApplyRates(long spanMillis) {
        this.spanMillis = spanMillis;
    }

    /** Adds the round's windows ({@code windowMillis} long) and drops slices no longer needed for the span. */
    void add(Map<Integer, ActivityWindow> windows, long windowMillis) {
        Map<Integer, Map<String, Long>> stored = new HashMap<>();
        windows.forEach((partition, window) -> stored.put(partition, window.stored()));
        slices.addLast(new Slice(Math.max(1, windowMillis), stored));
        long covered = 0;
        for (Slice s : slices) {
            covered += s.millis();
        }
        while (slices.size() > 1 && covered - slices.peekFirst().millis() >= spanMillis) {
            covered -= slices.removeFirst().millis();
        }
    }

    /** Stored changes per second by partition and collection over the kept slices. */
    Map<Integer, Map<String, Double>> perSecond() {
        long millis = 0;
        Map<Integer, Map<String, Long>> sums = new TreeMap<>();
        for (Slice s : slices) {
            millis += s.millis();
            s.stored().forEach((partition, byCollection) -> byCollection.forEach((collection, n) ->
                    sums.computeIfAbsent(partition, p -> new TreeMap<>()).merge(collection, n, Long::sum)));
        }
        double seconds = Math.max(1, millis) / 1000.0;
        Map<Integer, Map<String, Double>> rates = new TreeMap<>();
        sums.forEach((partition, byCollection) -> byCollection.forEach((collection, n) ->
                rates.computeIfAbsent(partition, p -> new TreeMap<>()).put(collection, n / seconds)));
        return rates;
    }
}
