package io.ruvector.healing.engine;

import io.ruvector.schemas.IntegritySample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest integrity sample of each reporter (capture, index instances) per collection and
 * tenant: the classifier's evidence besides the witness edges. Kept in memory only: after a
 * restart the engine is not ready until fresh samples arrived anyway. Thread-safe: a feed writes,
 * the engine's stream thread reads.
 */
public final class LatestSamples {

    private record Reporter(String collection, String tenant, String source, String instance) {
    }

    private final Map<Reporter, IntegritySample> latest = new ConcurrentHashMap<>();

    /** Keeps {@code sample} unless a newer one of the same reporter is already here. */
    public void put(IntegritySample sample) {
        Objects.requireNonNull(sample, "sample");
        Reporter key = new Reporter(sample.getCollection(), sample.getTenant(), sample.getSource().name(),
                sample.getInstanceId());
        latest.merge(key, sample, (old, now) -> now.getSampledAtMillis() >= old.getSampledAtMillis() ? now : old);
    }

    /** The latest sample of every reporter of the scope; a tenant scope also gets the collection-wide capture sample. */
    public List<IntegritySample> of(String collection, String tenant) {
        List<IntegritySample> out = new ArrayList<>();
        for (Map.Entry<Reporter, IntegritySample> e : latest.entrySet()) {
            Reporter r = e.getKey();
            if (r.collection().equals(collection) && (Objects.equals(r.tenant(), tenant)
                    || (tenant != null && r.tenant() == null && r.source().equals("CDC")))) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** Sample time of the newest sample of the scope, or 0 when none. */
    public long newestMillis(String collection, String tenant) {
        long newest = 0;
        for (IntegritySample s : of(collection, tenant)) {
            newest = Math.max(newest, s.getSampledAtMillis());
        }
        return newest;
    }
}
