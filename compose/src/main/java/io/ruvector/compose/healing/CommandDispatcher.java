package io.ruvector.compose.healing;

import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.CommandExecutor;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.topic.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands healing commands to the executors of this process (the capture's throttle, the index's
 * maintenance) and publishes their acks. Applies each command id at most once: on start it reads
 * every ack on the acks topic, then every command from the beginning; a command that already has
 * an ack is not applied again, but the lasting effect of an acked, unexpired APPLY that was not
 * rolled back is {@link CommandExecutor#restore restored} (a throttle or a pause survives a
 * restart until its expiry). No consumer group: the topics are small and every process must see
 * every command. One daemon thread; {@link #close()} stops it.
 */
public final class CommandDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    private final TopicNames topics;
    private final Map<String, CommandExecutor> byStrategy = new HashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Producer<String, CommandAck> acks;
    private final AvroSerde<RemediationCommand> commandSerde;
    private final AvroSerde<CommandAck> ackSerde;
    private final Clock clock;
    private final Thread thread;
    private final Map<String, AckStatus> acked = new HashMap<>();
    /** Acked lasting APPLY commands seen while catching up, to restore once caught up. */
    private final Map<String, RemediationCommand> applied = new HashMap<>();
    private final Set<String> rolledBack = new HashSet<>();
    private boolean restored;
    private volatile boolean running = true;

    public CommandDispatcher(String bootstrapServers, TopicNames topics, SchemaRegistry registry,
                             List<CommandExecutor> executors, Clock clock) {
        this.topics = Objects.requireNonNull(topics, "topics");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (CommandExecutor e : executors) {
            for (String s : e.strategies()) {
                byStrategy.put(s, e);
            }
        }
        commandSerde = AvroSerde.forValues(registry, RemediationCommand.class);
        ackSerde = AvroSerde.forValues(registry, CommandAck.class);
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        acks = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), ackSerde);
        thread = Thread.ofPlatform().daemon().name("ruvector-healing-dispatcher").unstarted(this::run);
    }

    public CommandDispatcher start() {
        thread.start();
        return this;
    }

    /** The strategies some executor of this process applies. */
    public Set<String> strategies() {
        return Set.copyOf(byStrategy.keySet());
    }

    private void run() {
        try {
            readAllAcks();
            List<TopicPartition> both = new ArrayList<>(partitions(topics.healingCommands()));
            both.addAll(partitions(topics.healingAcks()));
            consumer.assign(both);
            consumer.seekToBeginning(partitions(topics.healingCommands()));
            consumer.seekToEnd(partitions(topics.healingAcks()));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    if (r.topic().equals(topics.healingAcks())) {
                        noteAck(ackSerde.deserialize(r.topic(), r.value()));
                    } else {
                        dispatch(commandSerde.deserialize(r.topic(), r.value()));
                    }
                }
                if (!restored && consumerCaughtUp()) {
                    restoreLasting();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("the healing command dispatcher stopped: {}", e.toString(), e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void readAllAcks() {
        List<TopicPartition> parts = partitions(topics.healingAcks());
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
        while (running && parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.value() != null) {
                    noteAck(ackSerde.deserialize(r.topic(), r.value()));
                }
            }
        }
    }

    private void noteAck(CommandAck ack) {
        acked.putIfAbsent(ack.getCommandId(), ack.getStatus());
    }

    private void dispatch(RemediationCommand command) {
        CommandExecutor executor = byStrategy.get(command.getStrategy());
        if (executor == null) {
            return; // another process's executor, or a strategy nobody applies: the engine times it out
        }
        AckStatus previous = acked.get(command.getCommandId());
        if (previous != null) {
            restoreIfLasting(command, previous);
            return;
        }
        CommandAck ack;
        try {
            ack = executor.execute(command);
        } catch (RuntimeException e) { // an executor must not throw; if it does, the engine still hears of it
            LOG.warn("executor {} failed on {} {}: {}", executor.executorId(), command.getStrategy(),
                    command.getCommandId(), e.toString());
            ack = CommandAck.newBuilder().setCommandId(command.getCommandId()).setCollection(command.getCollection())
                    .setTenant(command.getTenant()).setStrategy(command.getStrategy()).setStatus(AckStatus.FAILED)
                    .setExecutor(executor.executorId()).setDetail(e.toString()).setDryRun(command.getDryRun())
                    .setAckedAtMillis(clock.millis()).build();
        }
        try {
            acks.send(new ProducerRecord<>(topics.healingAcks(), command.getCommandId(), ack)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException e) {
            LOG.warn("could not publish the ack of {}: {}", command.getCommandId(), e.getCause().toString());
            return;
        }
        acked.put(command.getCommandId(), ack.getStatus());
        track(command, ack.getStatus());
        if (!restored && command.getAction() == CommandAction.APPLY && ack.getStatus() == AckStatus.APPLIED
                && !command.getDryRun()) {
            applied.put(command.getCommandId(), command); // before catch-up completes, kept for the restore pass
        }
        LOG.info("healing command {} {} on {}: {} — {}", command.getStrategy(), command.getAction(),
                command.getCollection(), ack.getStatus(), ack.getDetail());
    }

    /** After a restart: an acked APPLY whose effect lasts comes back until it expires or is rolled back. */
    private void restoreIfLasting(RemediationCommand command, AckStatus status) {
        track(command, status);
        if (command.getAction() == CommandAction.APPLY && status == AckStatus.APPLIED && !command.getDryRun()
                && command.getExpiresAtMillis() > clock.millis() && !rolledBack.contains(command.getCommandId())) {
            applied.put(command.getCommandId(), command);
        }
    }

    private void track(RemediationCommand command, AckStatus status) {
        if (command.getAction() == CommandAction.ROLLBACK && command.getRollbackOf() != null
                && status == AckStatus.ROLLED_BACK) {
            rolledBack.add(command.getRollbackOf());
            applied.remove(command.getRollbackOf());
        }
    }

    /** Once every earlier command was read: re-install the lasting effects still in force. */
    private void restoreLasting() {
        restored = true;
        for (RemediationCommand c : applied.values()) {
            CommandExecutor e = byStrategy.get(c.getStrategy());
            if (e != null && c.getExpiresAtMillis() > clock.millis()) {
                e.restore(c);
                LOG.info("restored {} on {} until its expiry", c.getStrategy(), c.getCollection());
            }
        }
        applied.clear();
    }

    private boolean consumerCaughtUp() {
        List<TopicPartition> parts = partitions(topics.healingCommands());
        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
        return parts.stream().allMatch(p -> consumer.position(p) >= end.get(p));
    }

    private List<TopicPartition> partitions(String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        acks.close(Duration.ofSeconds(5));
    }

}
