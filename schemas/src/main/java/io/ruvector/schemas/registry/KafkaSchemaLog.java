package io.ruvector.schemas.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaLog} on a compacted Kafka topic (default {@value #DEFAULT_TOPIC}): key = id
 * as decimal text, value = the schema's JSON text.
 *
 * <p>Why a topic: the schemas must live where the data lives, so that any process on the
 * cluster, of any build, can resolve an id without another service. Clients are created on
 * first use, so constructing one opens no connection. Compaction keeps one
 * record per id forever. The topic is created (1 partition, compacted) on first use if
 * missing. {@link #readAll()} reads from the beginning to the end offsets sampled at the
 * start, with {@code assign} and no consumer group, so it commits nothing and leaves no group
 * behind. {@link #record} waits for the broker's ack ({@code acks=all}), so an id is never
 * used before its schema is readable.
 *
 * <p>Thread-safe: the producer is thread-safe and each {@code readAll} uses its own consumer.
 */
public final class KafkaSchemaLog implements SchemaLog {

    public static final String DEFAULT_TOPIC = "_ruvector_schemas";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);

    private final String topic;
    private final Runnable topicCreator;
    private final Supplier<Producer<String, String>> producers;
    private final Supplier<Consumer<String, String>> consumers;
    private final Duration timeout;
    private volatile boolean topicReady;
    private Producer<String, String> producer;

    /**
     * @param clientProperties extra client settings (security etc.), applied to the admin,
     *     producer and consumer; bootstrap servers and serializers are set here
     */
    public KafkaSchemaLog(String bootstrapServers, String topic, short replicationFactor,
                          Map<String, Object> clientProperties, Duration timeout) {
        this(topic, () -> createTopicIfMissing(common(bootstrapServers, clientProperties), topic, replicationFactor, timeout),
                () -> new KafkaProducer<>(producerProps(common(bootstrapServers, clientProperties))),
                () -> new KafkaConsumer<>(consumerProps(common(bootstrapServers, clientProperties))), timeout);
    }

    /** For tests: injected clients (e.g. Kafka's MockProducer and MockConsumer). */
    KafkaSchemaLog(String topic, Runnable topicCreator, Supplier<Producer<String, String>> producers,
                   Supplier<Consumer<String, String>> consumers, Duration timeout) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.topicCreator = Objects.requireNonNull(topicCreator, "topicCreator");
        this.producers = Objects.requireNonNull(producers, "producers");
        this.consumers = Objects.requireNonNull(consumers, "consumers");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public void record(int id, Schema schema) {
        ensureTopic();
        try {
            producer().send(new ProducerRecord<>(topic, Integer.toString(id), schema.toString()))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while writing schema id " + id + " to " + this, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new SchemaRegistryException("cannot write schema id " + id + " to " + this + ": " + e, e);
        }
    }

    @Override
    public Map<Integer, Schema> readAll() {
        ensureTopic();
        try (Consumer<String, String> consumer = consumers.get()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<Integer, Schema> schemas = new HashMap<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new SchemaRegistryException("timed out after " + timeout + " reading " + this
                            + " up to end offsets " + end);
                }
                for (ConsumerRecord<String, String> rec : consumer.poll(Duration.ofMillis(100))) {
                    apply(rec, schemas);
                }
            }
            return schemas;
        }
    }

    private void apply(ConsumerRecord<String, String> rec, Map<Integer, Schema> schemas) {
        int id;
        try {
            id = Integer.parseInt(rec.key());
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(this + " offset " + rec.offset() + ": key '" + rec.key()
                    + "' is not a decimal schema id", e);
        }
        if (rec.value() == null) {
            schemas.remove(id);
            return;
        }
        try {
            schemas.put(id, new Schema.Parser().parse(rec.value()));
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(this + " offset " + rec.offset() + ": schema id " + id
                    + " is not valid Avro schema JSON: " + e.getMessage(), e);
        }
    }

    private static boolean caughtUp(Consumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Created on first write, so a process that only reads the log never opens a producer. */
    private synchronized Producer<String, String> producer() {
        if (producer == null) {
            producer = producers.get();
        }
        return producer;
    }

    private void ensureTopic() {
        if (!topicReady) {
            synchronized (this) {
                if (!topicReady) {
                    topicCreator.run();
                    topicReady = true;
                }
            }
        }
    }

    private static void createTopicIfMissing(Map<String, Object> props, String topic, short replication,
                                             Duration timeout) {
        NewTopic newTopic = new NewTopic(topic, 1, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Created compacted schema log topic {} (replication {})", topic, replication);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new SchemaRegistryException("cannot create schema log topic '" + topic + "': " + e.getCause(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while creating schema log topic '" + topic + "'", e);
        } catch (TimeoutException e) {
            throw new SchemaRegistryException("timed out after " + timeout + " creating schema log topic '" + topic
                    + "' (is the broker at " + props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + " up?)", e);
        }
    }

    private static Map<String, Object> common(String bootstrapServers, Map<String, Object> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
        return props;
    }

    private static Map<String, Object> producerProps(Map<String, Object> common) {
        Map<String, Object> props = new HashMap<>(common);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return props;
    }

    private static Map<String, Object> consumerProps(Map<String, Object> common) {
        Map<String, Object> props = new HashMap<>(common);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return props;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(timeout);
            producer = null;
        }
    }

    @Override
    public String toString() {
        return "schema log topic '" + topic + "'";
    }
}
