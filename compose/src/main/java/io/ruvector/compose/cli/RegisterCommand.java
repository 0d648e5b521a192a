package io.ruvector.compose.cli;

import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.runtime.CollectionRegistrar;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.topic.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./ruvector register}: registers a pgvector table with a running runtime. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Register a pgvector table as a collection: the running capture starts streaming it, existing rows included.")
final class RegisterCommand implements Callable<Integer> {

    @Mixin
    PgOptions pg = new PgOptions();

    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092", description = "Kafka of the runtime; default ${DEFAULT-VALUE}")
    String kafka;

    @Option(names = "--name", required = true, description = "collection name ([a-z][a-z0-9_]*)")
    String name;

    @Option(names = "--table", required = true, description = "table, schema-qualified or in public")
    String table;

    @Option(names = "--id", required = true, description = "primary key column")
    String idColumn;

    @Option(names = "--vector", required = true, description = "vector, halfvec, sparsevec or real[] column")
    String vectorColumn;

    @Option(names = "--metric", defaultValue = "l2", description = "l2 (<->), cosine (<=>), ip (<#>) or l1 (<+>); default ${DEFAULT-VALUE}")
    String metric;

    @Option(names = "--dimensions", defaultValue = "0", description = "dimension, for a column declared without one")
    int dimensions;

    @Option(names = "--tenant", description = "tenant column")
    String tenantColumn;

    @Option(names = "--metadata", split = ",", description = "metadata columns, comma-separated")
    List<String> metadataColumns;

    @Override
    public Integer call() throws Exception {
        CollectionRequest request = new CollectionRequest(name, table, idColumn, vectorColumn, CollectionRequest.metric(metric),
                tenantColumn, metadataColumns, 0, 0, 0);
        TopicNames topics = TopicNames.DEFAULT;
        int partitions;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            partitions = admin.describeTopics(List.of(topics.vectors())).allTopicNames().get()
                    .get(topics.vectors()).partitions().size();
        }
        try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(kafka));
             KafkaProducer<String, CollectionSpec> producer = new KafkaProducer<>(
                     Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka), new StringSerializer(),
                     AvroSerde.forValues(registry, CollectionSpec.class))) {
            CollectionSpec spec = new CollectionRegistrar(pg.settings(), topics, producer, Clock.systemUTC())
                    .register(request, dimensions, partitions, n -> null);
            System.out.printf("registered %s: %s.%s %s(%d) metric %s over %d partition(s)%n", spec.getName(),
                    spec.getTable(), spec.getVectorColumn(), spec.getVectorType().name().toLowerCase(),
                    spec.getDimensions(), spec.getMetric(), spec.getPartitions());
        }
        return 0;
    }
}
