package io.ruvector.cdc.route;

import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.PartitionMap;
import io.ruvector.schemas.RouteChange;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs published {@link PartitionMap}s into the capture's {@link PartitionRouter} and
 * announces each new epoch with a {@link RouteChange} on every partition of the vectors topic —
 * the start of a bucket hand-off in the index (docs/topics.md). Install and announcement happen
 * under {@link PartitionRouter#routingLock()} and with the capture's own producer, so each
 * partition receives every change routed by the previous epoch before the announcement, and every
 * change routed by the new one after it.
 *
 * <p>Each start announces the newest epoch again (the router starts empty); the index ignores an
 * epoch it already has, and a hand-off cut short by a crash resumes from it.
 */
public final class RouteAnnouncer {

    private static final Logger LOG = LoggerFactory.getLogger(RouteAnnouncer.class);

    private final PartitionRouter router;
    private final Producer<String, SpecificRecord> producer;
    private final String vectorsTopic;
    private final String source;
    private final Function<String, CollectionSpec> specs;
    private final Clock clock;

    /**
     * @param router       the capture's router
     * @param producer     the producer the capture publishes changes with (ordering depends on it)
     * @param vectorsTopic the vectors topic
     * @param source       the capture deployment, written into each announcement
     * @param specs        collection by name (null when unknown), for the epoch-0 map
     */
    public RouteAnnouncer(PartitionRouter router, Producer<String, SpecificRecord> producer, String vectorsTopic,
                          String source, Function<String, CollectionSpec> specs, Clock clock) {
        this.router = Objects.requireNonNull(router, "router");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.vectorsTopic = Objects.requireNonNull(vectorsTopic, "vectorsTopic");
        this.source = Objects.requireNonNull(source, "source");
        this.specs = Objects.requireNonNull(specs, "specs");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Installs {@code map} unless the router has this epoch or a newer one, and announces it;
     * returns whether it was new. Blocks until Kafka has every announcement.
     *
     * @throws IllegalStateException when Kafka refuses an announcement (the map stays installed;
     *                               the next start announces it again)
     */
    public boolean install(PartitionMap map) {
        synchronized (router.routingLock()) {
            PartitionMap before = router.installed(map.getCollection());
            if (!router.install(map)) {
                return false;
            }
            List<Integer> previous = previousOf(map, before);
            RouteChange change = RouteChange.newBuilder().setCollection(map.getCollection()).setEpoch(map.getEpoch())
                    .setBuckets(map.getBuckets()).setPreviousBuckets(previous).setSource(source)
                    .setEmittedAtMillis(clock.millis()).build();
            List<Future<RecordMetadata>> sends = new ArrayList<>(router.topicPartitions());
            for (int p = 0; p < router.topicPartitions(); p++) {
                sends.add(producer.send(new ProducerRecord<>(vectorsTopic, p, null, change)));
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                try {
                    send.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("could not announce epoch " + map.getEpoch() + " of "
                            + map.getCollection() + ": " + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while announcing epoch " + map.getEpoch(), e);
                }
            }
            if (before != null) {
                LOG.info("collection {} routes by partition-map epoch {} (was {})", map.getCollection(), map.getEpoch(),
                        before.getEpoch());
            }
            return true;
        }
    }

    private List<Integer> previousOf(PartitionMap map, PartitionMap before) {
        if (before != null) {
            return before.getBuckets();
        }
        if (map.getPreviousBuckets() != null) {
            return map.getPreviousBuckets();
        }
        CollectionSpec spec = specs.apply(map.getCollection());
        return spec != null ? router.initialMap(spec).getBuckets() : map.getBuckets();
    }
}
