package io.ruvector.index.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Instances that refused a connection a moment ago. Kafka Streams keeps a crashed instance in its
 * metadata until the group session times out; meanwhile a query must not knock on its closed port
 * again and again: it is routed past it (to a standby) for {@link #DOWN_FOR}, then tried again.
 */
final class PeerLiveness {

    /** How long a refused instance is skipped before it is tried again. */
    static final Duration DOWN_FOR = Duration.ofSeconds(2);

    private final Map<HostInfo, Long> downSince = new ConcurrentHashMap<>();
    private final LongSupplier nanos;

    PeerLiveness(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** {@code host} refused a connection now. */
    void refused(HostInfo host) {
        downSince.put(host, nanos.getAsLong());
    }

    /** {@code host} answered. */
    void answered(HostInfo host) {
        downSince.remove(host);
    }

    /** Whether {@code host} refused within the last {@link #DOWN_FOR}. */
    boolean down(HostInfo host) {
        Long since = downSince.get(host);
        return since != null && nanos.getAsLong() - since < DOWN_FOR.toNanos();
    }
}
