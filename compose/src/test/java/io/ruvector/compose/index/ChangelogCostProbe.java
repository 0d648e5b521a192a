package io.ruvector.compose.index;

import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.broker.EmbeddedKafkaBroker;
import io.ruvector.index.IndexService;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.topology.IndexConfig;
import io.ruvector.index.topology.IndexTopology;
import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.topic.TopicNames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the index store's changelog costs the apply path: {@code rows} × {@code dims} changes
 * already on a 2-partition vectors topic (an in-process broker), then the index application
 * started on them and timed to the watermark, once per round; {@code -Dprobe.graph=false} times
 * the apply path alone (no graph: every row under the exact-search threshold), {@code
 * -Dprobe.extra=k=v,…} adds Kafka Streams settings. The variant without the changelog that
 * docs/benchmarks.md compares against needs the store built {@code withLoggingDisabled()} in
 * IndexTopology, a one-line change that is not shipped (without its changelog an index loses its
 * partitions with its disk); each round says whether its changelog topic exists. Not a test:
 * {@code java -cp … ChangelogCostProbe 100000 128 2}.
 */
public final class ChangelogCostProbe {

    private ChangelogCostProbe() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        int dims = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        boolean graph = Boolean.parseBoolean(System.getProperty("probe.graph", "true"));
        Path dir = Files.createTempDirectory("changelog-probe");
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(BrokerConfig.ephemeral(dir.resolve("broker"))).start();
             SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(broker.bootstrapServers()))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TopicNames.DEFAULT.vectors(), 2, (short) 1))).all().get();
            }
            long lsn = 0;
            Random random = new Random(42);
            try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, "5"), new StringSerializer(), IndexTopology.valueSerde(registry).serializer())) {
                for (int i = 0; i < rows; i++) {
                    ByteBuffer bytes = ByteBuffer.allocate(dims * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    for (int d = 0; d < dims; d++) {
                        bytes.putFloat((float) random.nextGaussian());
                    }
                    bytes.flip();
                    VectorChange change = VectorChange.newBuilder().setCollection("probe").setId(Integer.toString(i))
                            .setOp(ChangeOp.UPSERT).setTenant(null).setVector(bytes).setMetadata(Map.of()).setLsn(++lsn)
                            .setCommitTimeMicros(0).setSnapshot(false).build();
                    producer.send(new ProducerRecord<>(TopicNames.DEFAULT.vectors(), TopicNames.vectorKey("probe", change.getId()),
                            change));
                }
                lsn++;
                for (int p = 0; p < 2; p++) {
                    producer.send(new ProducerRecord<>(TopicNames.DEFAULT.vectors(), p, null, new Watermark(lsn, "probe", 0L)));
                }
                producer.flush();
            }
            Map<String, String> extra = new java.util.HashMap<>();
            for (String pair : System.getProperty("probe.extra", "").split(",")) {
                if (!pair.isBlank()) {
                    extra.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
            HnswSettings hnsw = graph ? HnswSettings.DEFAULT : HnswSettings.builder().exactBelowRows(Integer.MAX_VALUE).build();
            for (int round = 0; round < rounds; round++) {
                String applicationId = "probe-" + round;
                long start = System.nanoTime();
                try (IndexService index = IndexService.start(new IndexConfig(applicationId, dir.resolve("state-" + round),
                        broker.bootstrapServers(), TopicNames.DEFAULT, 0, extra, hnsw), registry)) {
                    index.awaitWatermark(lsn, Duration.ofMinutes(10));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    boolean changelog;
                    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                            broker.bootstrapServers()))) {
                        changelog = admin.listTopics().names().get().stream()
                                .anyMatch(t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog"));
                    }
                    System.out.printf("round %d: %,d × %d applied in %.2f s = %,.0f rows/s (changelog %s, graph %s) %s%n", round,
                            rows, dims, seconds, rows / seconds, changelog ? "on" : "off", graph ? "on" : "off", extra);
                }
            }
        }
    }
}
