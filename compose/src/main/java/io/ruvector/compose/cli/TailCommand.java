package io.ruvector.compose.cli;

import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.serde.AvroUnionSerde;
import io.ruvector.schemas.topic.TopicNames;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./ruvector tail vectors|dlq}: decoded records as JSON lines. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print the records of a RuVector topic as JSON lines: vectors (changes and watermarks), dlq (dead letters), "
                + "integrity (signed integrity events), samples (telemetry) or state (integrity states).")
final class TailCommand implements Callable<Integer> {

    enum Stream { vectors, dlq, integrity, samples, state, healing, commands, acks }

    @Parameters(index = "0", paramLabel = "STREAM",
            description = "vectors, dlq, integrity (signed events), samples (telemetry), state (current states), "
                    + "healing (signed outcomes), commands (signed remediation commands) or acks (executors' answers)")
    Stream stream;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092", description = "Kafka of the runtime; default ${DEFAULT-VALUE}")
    String kafka;

    @Option(names = "--from-beginning", description = "start at the oldest record instead of new ones")
    boolean fromBeginning;

    @Option(names = "--no-watermarks", description = "hide watermark records")
    boolean noWatermarks;

    @Option(names = "--max", defaultValue = "0", description = "stop after N records (0 = follow)")
    long max;

    @Option(names = "--until-end", description = "stop at the end of the topic as it was at start")
    boolean untilEnd;

    @Option(names = "--idle-timeout-ms", defaultValue = "0", description = "stop after this long without records (0 = never)")
    long idleTimeoutMs;

    @Override
    public Integer call() {
        return tail(System.out);
    }

    /** Prints the last {@code n} records of the stream (from the beginning, until idle). */
    void tailLast(PrintStream out, int n) {
        java.util.ArrayDeque<String> last = new java.util.ArrayDeque<>();
        PrintStream sink = new PrintStream(java.io.OutputStream.nullOutputStream()) {
            @Override
            public void println(String line) {
                last.addLast(line);
                if (last.size() > n) {
                    last.removeFirst();
                }
            }
        };
        tail(sink);
        last.forEach(out::println);
    }

    int tail(PrintStream out) {
        TopicNames topics = TopicNames.DEFAULT;
        String topic = switch (stream) {
            case vectors -> topics.vectors();
            case dlq -> topics.vectorsDeadLetters();
            case integrity -> topics.integrityEvents();
            case samples -> topics.integritySamples();
            case state -> topics.integrityState();
            case healing -> topics.healingOutcomes();
            case commands -> topics.healingCommands();
            case acks -> topics.healingAcks();
        };
        RecordJson json = new RecordJson();
        try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(kafka));
             KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(
                     Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                     new StringDeserializer(),
                     AvroUnionSerde.forValues(registry, List.of(VectorChange.class, Watermark.class, DeadLetter.class,
                             IntegrityEvent.class, IntegritySample.class, IntegrityState.class, io.ruvector.schemas.HealingOutcome.class,
                             io.ruvector.schemas.RemediationCommand.class, io.ruvector.schemas.CommandAck.class,
                             io.ruvector.schemas.RouteChange.class, io.ruvector.schemas.HandOffDone.class,
                             io.ruvector.schemas.HandOffAck.class, io.ruvector.schemas.PartitionMap.class)).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long printed = 0;
            long lastRecord = System.currentTimeMillis();
            while (max == 0 || printed < max) {
                if (untilEnd && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    break;
                }
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    lastRecord = System.currentTimeMillis();
                } else if (idleTimeoutMs > 0 && System.currentTimeMillis() - lastRecord > idleTimeoutMs) {
                    break;
                }
                for (ConsumerRecord<String, SpecificRecord> r : records) {
                    if (noWatermarks && r.value() instanceof Watermark) {
                        continue;
                    }
                    out.println(json.of(r.partition(), r.offset(), r.value()));
                    if (max > 0 && ++printed >= max) {
                        break;
                    }
                }
                out.flush();
            }
        }
        return 0;
    }
}
