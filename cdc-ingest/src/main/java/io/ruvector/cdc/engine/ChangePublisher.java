package io.ruvector.cdc.engine;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.ruvector.cdc.collection.CollectionCatalog;
import io.ruvector.cdc.normalise.ChangeNormaliser;
import io.ruvector.cdc.normalise.Normalised;
import io.ruvector.cdc.route.PartitionRouter;
import io.ruvector.cdc.throttle.ApplyPacer;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.topic.TopicNames;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Debezium batch handler: normalises each change, routes it to its partition of the vectors
 * topic (or to the dead-letter topic), waits until Kafka has acknowledged the whole batch, and
 * only then marks the batch processed. A crash anywhere before that replays the batch
 * (at-least-once; the index drops replays by LSN), so nothing is lost.
 *
 * <p>After each batch, when the highest LSN seen has moved, a {@link Watermark} is sent to every
 * partition: every transaction committed before that LSN has been delivered ahead of it (per row
 * the change LSNs follow commit order, and a change LSN is always below its commit LSN). While a
 * newly registered table's snapshot is running, watermarks wait for its last row.
 */
final class ChangePublisher implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger LOG = LoggerFactory.getLogger(ChangePublisher.class);
    private static final int LOGGED_DEAD_LETTERS_PER_BATCH = 5;

    private final ChangeNormaliser normaliser;
    private final CollectionCatalog catalog;
    private final PartitionRouter router;
    private final Producer<String, SpecificRecord> producer;
    private final TopicNames topics;
    private final String source;
    private final Clock clock;
    private final CaptureMetrics metrics;
    private final PendingSnapshots pendingSnapshots;
    private final ApplyPacer pacer;
    private final boolean watermarksFromStream;
    private long watermark = -1;
    private long published = -1;

    ChangePublisher(CollectionCatalog catalog, PartitionRouter router, Producer<String, SpecificRecord> producer,
                    TopicNames topics, String source, Clock clock, CaptureMetrics metrics, PendingSnapshots pendingSnapshots,
                    ApplyPacer pacer) {
        this(catalog, router, producer, topics, source, clock, metrics, pendingSnapshots, pacer, true);
    }

    /**
     * @param watermarksFromStream whether the batches are the capture's one ordered stream, so that
     *                             their highest LSN is a watermark; false when changes come from
     *                             several topics and the caller knows the watermark ({@link #publishWatermark})
     */
    ChangePublisher(CollectionCatalog catalog, PartitionRouter router, Producer<String, SpecificRecord> producer,
                    TopicNames topics, String source, Clock clock, CaptureMetrics metrics, PendingSnapshots pendingSnapshots,
                    ApplyPacer pacer, boolean watermarksFromStream) {
        this.watermarksFromStream = watermarksFromStream;
        this.pacer = pacer;
        this.catalog = catalog;
        this.normaliser = new ChangeNormaliser(catalog::byTable, clock);
        this.router = router;
        this.producer = producer;
        this.topics = topics;
        this.source = source;
        this.clock = clock;
        this.metrics = metrics;
        this.pendingSnapshots = pendingSnapshots;
    }

    /** What a caller does once Kafka acknowledged a batch: mark it processed, commit its offsets. */
    @FunctionalInterface
    interface Acknowledgement {
        void acknowledged() throws InterruptedException;
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        publish(events.stream().map(RecordChangeEvent::record).toList(), () -> {
            for (RecordChangeEvent<SourceRecord> event : events) {
                committer.markProcessed(event);
            }
            committer.markBatchFinished();
        });
    }

    /**
     * Normalises, routes and sends {@code records}, waits until Kafka acknowledged all of them, then
     * calls {@code acknowledged} (a failure before that leaves the batch to be replayed).
     */
    void publish(List<SourceRecord> records, Acknowledgement acknowledged) throws InterruptedException {
        long start = System.nanoTime();
        long lastCommitMicros = -1;
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        long maxLsn = watermark;
        int accepted = 0;
        int rejected = 0;
        // routed and sent under the routing lock: a new partition-map epoch is announced between batches
        boolean mayAdvance;
        synchronized (router.routingLock()) {
            for (SourceRecord record : records) {
                pendingSnapshots.observe(record);
                Normalised result = normaliser.normalise(record);
                maxLsn = Math.max(maxLsn, result.lsn());
                switch (result) {
                    case Normalised.Accepted a -> {
                        sends.add(sendChange(a.change()));
                        pacer.count(a.change().getCollection(), a.change().getTenant());
                        lastCommitMicros = Math.max(lastCommitMicros, a.change().getCommitTimeMicros());
                        accepted++;
                    }
                    case Normalised.Rejected r -> {
                        String key = TopicNames.vectorKey(String.valueOf(r.letter().getCollection()), String.valueOf(r.letter().getId()));
                        sends.add(producer.send(new ProducerRecord<>(topics.vectorsDeadLetters(), key, r.letter())));
                        if (rejected < LOGGED_DEAD_LETTERS_PER_BATCH) {
                            LOG.warn("dead letter: {} id={} {}", r.letter().getTable(), r.letter().getId(), r.letter().getReason());
                        }
                        rejected++;
                    }
                    case Normalised.Position p -> { }
                    case Normalised.Skipped s -> { }
                }
            }
            mayAdvance = watermarksFromStream && maxLsn > published && pendingSnapshots.isEmpty();
            if (mayAdvance) {
                sends.addAll(sendWatermarks(maxLsn));
            }
            producer.flush();
            awaitAll(sends);
        }
        watermark = maxLsn;
        if (mayAdvance) {
            published = maxLsn;
        }
        acknowledged.acknowledged();
        if (rejected > LOGGED_DEAD_LETTERS_PER_BATCH) {
            // a bad bulk load must not flood the log: the topic has every letter
            LOG.warn("{} more dead letters in this batch on {}", rejected - LOGGED_DEAD_LETTERS_PER_BATCH, topics.vectorsDeadLetters());
        }
        metrics.recordBatch(accepted, rejected, published, lastCommitMicros);
        if (lastCommitMicros > 0) {
            metrics.recordDelay(clock.millis() - lastCommitMicros / 1000);
        }
        if (!records.isEmpty()) {
            metrics.recordProgress(clock.millis(), accepted + rejected > 0);
        }
        long pause = pacer.endBatch(System.nanoTime() - start);
        metrics.recordThrottle(pacer.currentFraction());
        if (pause > 0) {
            // The batch is acknowledged and marked processed: pausing here only delays the next one,
            // whose changes wait in the replication slot.
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(pause);
        }
    }

    /**
     * Sends a watermark at {@code lsn} to every partition, unless a snapshot is mid-delivery or it
     * does not advance; the caller vouches that every change committed before it was sent and acked.
     *
     * @return whether it was sent
     */
    boolean publishWatermark(long lsn) throws InterruptedException {
        if (lsn <= published || !pendingSnapshots.isEmpty()) {
            return false;
        }
        synchronized (router.routingLock()) {
            List<Future<RecordMetadata>> sends = sendWatermarks(lsn);
            producer.flush();
            awaitAll(sends);
        }
        published = lsn;
        metrics.recordBatch(0, 0, published, -1);
        return true;
    }

    private Future<RecordMetadata> sendChange(VectorChange change) {
        CollectionSpec spec = catalog.byName(change.getCollection());
        int partition = router.partitionOf(spec, change.getId());
        change.setPartitionMapEpoch(router.epochOf(spec));
        String key = TopicNames.vectorKey(change.getCollection(), change.getId());
        return producer.send(new ProducerRecord<>(topics.vectors(), partition, key, change));
    }

    private List<Future<RecordMetadata>> sendWatermarks(long lsn) {
        Watermark mark = Watermark.newBuilder().setLsn(lsn).setSource(source).setEmittedAtMillis(clock.millis()).build();
        List<Future<RecordMetadata>> sends = new ArrayList<>(router.topicPartitions());
        for (int p = 0; p < router.topicPartitions(); p++) {
            sends.add(producer.send(new ProducerRecord<>(topics.vectors(), p, null, mark)));
        }
        return sends;
    }

    private static void awaitAll(List<Future<RecordMetadata>> sends) throws InterruptedException {
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                // Not marking the batch processed makes Debezium stop and replay it after a restart.
                throw new IllegalStateException("Kafka did not accept a captured change: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }
}
