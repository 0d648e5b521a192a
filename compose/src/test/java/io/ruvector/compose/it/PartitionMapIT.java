package io.ruvector.compose.it;

import io.ruvector.cdc.route.PartitionRouter;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.PartitionMap;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A new partition-map epoch on the compacted topic re-routes a collection's changes. */
class PartitionMapIT extends SharedRuntime {

    @Test
    void shouldRouteEveryChangeToTheMappedPartitionWhenANewerEpochIsPublished() throws Exception {
        String table = "pmap_" + TestPostgres.unique();
        String name = "p" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(2))");
        fixture.register(name, table, "embedding", Metric.L2, List.of(), null, 0);
        int target = fixture.runtime.vectorPartitions() - 1;
        PartitionMap map = PartitionMap.newBuilder().setCollection(name).setEpoch(5)
                .setBuckets(Collections.nCopies(PartitionRouter.BUCKETS, target)).build();
        String bootstrap = fixture.runtime.bootstrapServers();
        try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(bootstrap));
             KafkaProducer<String, PartitionMap> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new StringSerializer(), AvroSerde.forValues(registry, PartitionMap.class))) {
            producer.send(new ProducerRecord<>(fixture.runtime.config().topics().partitionMap(), name, map)).get();
        }
        try (VectorsTopic topic = fixture.vectors()) {
            // The feed installs the map asynchronously: write until a change carries the new epoch.
            int id = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (topic.changes(name).stream().noneMatch(c -> c.getPartitionMapEpoch() == 5)) {
                assertThat(System.nanoTime()).as("a change routed with epoch 5 within 60 s").isLessThan(deadline);
                TestPostgres.exec("INSERT INTO " + table + " VALUES (" + (++id) + ", '[1,2]')");
                final int expected = id;
                topic.await(r -> topic.changes(name).size() >= expected, Duration.ofSeconds(30), "change " + expected);
            }
            int first = id + 1;
            TestPostgres.exec("INSERT INTO " + table + " SELECT g, ARRAY[g, 0]::vector FROM generate_series(" + first + ", " + (first + 49) + ") g");
            topic.await(r -> topic.changes(name).size() >= first + 49, Duration.ofSeconds(30), "50 more changes");
            List<ConsumerRecord<String, SpecificRecord>> after = topic.records().stream()
                    .filter(r -> r.value() instanceof VectorChange c && c.getCollection().equals(name)
                            && Integer.parseInt(c.getId()) >= first).toList();
            assertThat(after).hasSize(50).allSatisfy(r -> {
                assertThat(r.partition()).isEqualTo(target);
                assertThat(((VectorChange) r.value()).getPartitionMapEpoch()).isEqualTo(5);
            });
        }
    }
}
