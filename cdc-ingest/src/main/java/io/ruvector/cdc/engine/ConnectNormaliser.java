package io.ruvector.cdc.engine;

import io.ruvector.cdc.collection.CollectionCatalog;
import io.ruvector.cdc.route.PartitionRouter;
import io.ruvector.cdc.throttle.ApplyPacer;
import io.ruvector.cdc.throttle.IngestGates;
import io.ruvector.cdc.throttle.ThrottleSettings;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The normaliser of cluster mode: Debezium runs on Kafka Connect and writes its change envelopes
 * to {@code <cdc prefix>.<schema>.<table>} (JSON with schemas); this service reads them and
 * publishes exactly what the embedded capture publishes — the same {@link ChangePublisher}, so the
 * same validation, dead letters, TOAST rule and routing.
 *
 * <p>Only the watermarks differ. The embedded engine's batches are the capture's one ordered
 * stream; here every table has its own topic, and a late batch of one topic may still be in flight
 * while a later change of another is already readable. So a watermark comes from Connect's
 * committed source offset ({@link ConnectOffsets}): when the connector has committed {@code lsn}
 * L, every record it produced before L was acknowledged, hence is below the end offsets of the CDC
 * topics read after that commit; once this consumer has passed those end offsets on every CDC
 * partition, L is published. Watermarks therefore lag by Connect's {@code offset.flush.interval.ms}.
 *
 * <p>Consumer offsets are committed after Kafka acknowledged a batch's changes: at-least-once, as
 * the embedded capture (the index drops replays by LSN). Run one normaliser per deployment: a
 * watermark needs every CDC partition read by the same consumer.
 */
public final class ConnectNormaliser implements Capture {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectNormaliser.class);

    private final ConnectNormaliserConfig config;
    private final CollectionCatalog catalog;
    private final PartitionRouter router;
    private final Producer<String, SpecificRecord> producer;
    private final Clock clock;
    private final CaptureMetrics metrics = new CaptureMetrics();
    private final PendingSnapshots pendingSnapshots;
    private final ApplyPacer pacer;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final JsonConverter json = new JsonConverter();
    private volatile boolean catalogChanged = true;
    private volatile boolean closed;
    private volatile Set<String> topicsRead = Set.of();
    private volatile Set<String> subscription = Set.of();
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private PendingWatermark pending;
    private long taken = -1;

    public ConnectNormaliser(ConnectNormaliserConfig config, CollectionCatalog catalog, PartitionRouter router,
                             Producer<String, SpecificRecord> producer, Clock clock, IngestGates gates) {
        this.config = config;
        this.catalog = catalog;
        this.router = router;
        this.producer = producer;
        this.clock = clock;
        this.pacer = new ApplyPacer(gates, ThrottleSettings.DEFAULTS, metrics::slotLagBytes);
        this.pendingSnapshots = new PendingSnapshots(clock, Duration.ofMinutes(30), table -> { });
        json.configure(Map.of("schemas.enable", "true", "converter.type", "value"));
    }

    @Override
    public synchronized void start() {
        thread = new Thread(this::run, "ruvector-normaliser-" + config.deployment());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        ChangePublisher publisher = new ChangePublisher(catalog, router, producer, config.topics(), config.deployment(),
                clock, metrics, pendingSnapshots, pacer, false);
        try (ConnectOffsets offsets = new ConnectOffsets(config.bootstrapServers(), config.offsetsTopic(),
                config.connector(), config.topics().cdcPrefix());
             KafkaConsumer<byte[], byte[]> records = new KafkaConsumer<>(consumerProperties(),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                consumer = records;
            }
            catalog.onChange(spec -> catalogChanged = true);
            LOG.info("normaliser {} reading {}.<schema>.<table> of registered collections (connector {}, offsets in {})",
                    config.deployment(), config.topics().cdcPrefix(), config.connector(), config.offsetsTopic());
            while (!closed) {
                if (catalogChanged) {
                    catalogChanged = false;
                    // a table's topic is read from its start once its collection is known: rows that Connect
                    // wrote before the registration reached this process are not skipped as unregistered
                    List<String> topics = cdcTopics();
                    if (!subscription.equals(Set.copyOf(topics))) {
                        records.subscribe(topics);
                        subscription = Set.copyOf(topics);
                    }
                    subscribed.countDown();
                }
                ConsumerRecords<byte[], byte[]> batch = records.poll(config.pollInterval());
                if (!batch.isEmpty()) {
                    publisher.publish(sourceRecords(batch), records::commitSync);
                }
                topicsRead = tablesOf(records.assignment());
                advanceWatermark(publisher, offsets.poll(Duration.ZERO), records);
            }
        } catch (WakeupException e) {
            if (!closed) {
                fail(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void fail(Throwable e) {
        failure.set(e);
        LOG.error("normaliser {} stopped: {}", config.deployment(), e.getMessage(), e);
        subscribed.countDown();
    }

    /** Connect's latest committed LSN becomes a watermark once every CDC partition was read past its end at that time. */
    private void advanceWatermark(ChangePublisher publisher, long committedLsn, KafkaConsumer<byte[], byte[]> records)
            throws InterruptedException {
        if (pending == null && committedLsn > taken) {
            // the end offsets after the commit was read: every record produced before it lies below them
            pending = new PendingWatermark(committedLsn, endOffsets(records));
            taken = committedLsn;
        }
        if (pending != null && caughtUp(records, pending.ends())) {
            publisher.publishWatermark(pending.lsn());
            pending = null; // the next commit is taken on the next round, so watermarks keep moving under load
        }
    }

    /** Every subscribed CDC partition's end offset now; topics Connect has not created yet hold nothing to wait for. */
    private Map<TopicPartition, Long> endOffsets(KafkaConsumer<byte[], byte[]> records) {
        Set<String> wanted = records.subscription();
        List<TopicPartition> partitions = new ArrayList<>();
        for (Map.Entry<String, List<PartitionInfo>> topic : records.listTopics(Duration.ofSeconds(10)).entrySet()) {
            if (wanted.contains(topic.getKey())) {
                topic.getValue().forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        return records.endOffsets(partitions, Duration.ofSeconds(10));
    }

    /** The registered tables' CDC topics and the topic of Debezium's logical messages (the watermark messages). */
    private List<String> cdcTopics() {
        List<String> topics = new ArrayList<>();
        topics.add(messageTopic());
        for (String table : new TreeSet<>(catalog.tables())) {
            topics.add(config.topics().cdcPrefix() + "." + table);
        }
        return topics;
    }

    private String messageTopic() {
        return config.topics().cdcPrefix() + ".message";
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> records, Map<TopicPartition, Long> ends) {
        Set<TopicPartition> assigned = records.assignment();
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (end.getValue() == 0) {
                continue; // nothing was ever written to it
            }
            if (!assigned.contains(end.getKey()) || records.position(end.getKey(), Duration.ofSeconds(10)) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The Debezium envelopes back as Connect records, as the embedded engine hands them over. */
    private List<SourceRecord> sourceRecords(ConsumerRecords<byte[], byte[]> batch) {
        List<SourceRecord> out = new ArrayList<>(batch.count());
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            SchemaAndValue value = json.toConnectData(record.topic(), record.value());
            out.add(new SourceRecord(null, null, record.topic(), record.partition(), null, null, value.schema(), value.value()));
        }
        return out;
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Connect may write its records in transactions (exactly-once source support): never read aborted ones
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "8192");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        // a newly captured table's topic is read within this
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "2000");
        return p;
    }

    /** The tables whose topics this consumer reads now. */
    private Set<String> tablesOf(Set<TopicPartition> partitions) {
        String prefix = config.topics().cdcPrefix() + ".";
        Set<String> tables = new TreeSet<>();
        for (TopicPartition tp : partitions) {
            if (!tp.topic().equals(messageTopic()) && tp.topic().startsWith(prefix)) {
                tables.add(tp.topic().substring(prefix.length()));
            }
        }
        return tables;
    }

    /** Waits until the consumer subscribed (or failed). */
    @Override
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        return subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && failure.get() == null;
    }

    /**
     * Waits until this normaliser subscribed to {@code table}'s topic. Whether Connect captures the
     * table is the connector's configuration ({@code ./ruvector connect-config}); its rows are read
     * from the topic's start whenever they come.
     */
    @Override
    public boolean awaitCapturing(String table, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String topic = config.topics().cdcPrefix() + "." + table;
        while (System.nanoTime() < deadline) {
            if (failure.get() != null) {
                return false;
            }
            if (!catalogChanged && subscribed.getCount() == 0 && subscription.contains(topic)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Override
    public double currentThrottle() {
        return pacer.currentFraction();
    }

    /** The normaliser's phase for health checks, in the capture's terms; never blocks. */
    @Override
    public CaptureStatus status() {
        Set<String> loading = new TreeSet<>();
        for (String table : catalog.tables()) {
            if (pendingSnapshots.isLoading(table)) {
                loading.add(table);
            }
        }
        Throwable failed = failure.get();
        CaptureStatus.Phase phase = closed ? CaptureStatus.Phase.CLOSED
                : failed != null ? CaptureStatus.Phase.FAILED
                : subscribed.getCount() > 0 ? CaptureStatus.Phase.STARTING
                : catalog.tables().isEmpty() ? CaptureStatus.Phase.IDLE
                : CaptureStatus.Phase.STREAMING;
        return new CaptureStatus(phase, topicsRead, loading, failed == null ? null : String.valueOf(failed.getMessage()));
    }

    @Override
    public CaptureMetrics metrics() {
        return metrics;
    }

    /** Whether {@code table}'s snapshot rows were arriving at any moment of the last {@code window}. */
    @Override
    public boolean isSnapshotLoadingWithin(String table, Duration window) {
        return pendingSnapshots.loadedWithin(table, window);
    }

    @Override
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (consumer != null) {
                consumer.wakeup();
            }
            running = thread;
        }
        if (running != null) {
            try {
                running.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record PendingWatermark(long lsn, Map<TopicPartition, Long> ends) {
    }
}
