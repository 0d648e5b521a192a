package io.ruvector.compose.it;

import io.ruvector.schemas.EffectiveIntegrityPolicy;
import io.ruvector.schemas.GateAction;
import io.ruvector.schemas.GateRule;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.RiskLevel;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.registry.RuvectorSchemas;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.serde.AvroSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture obeys the integrity gates published on the state topic: with the bulk-load gate at
 * throttle 0.5 a bulk load drains at about half the unthrottled rate, nothing is lost, and the
 * capture reports its throttle and slot lag in its integrity samples.
 */
@RunsAlone
class ThrottleIT extends SharedRuntime {

    private static final int ROWS = 20_000;

    @Test
    void shouldHalveTheBulkApplyRateUnderAThrottleOfHalfAndLoseNothing() throws Exception {
        String table = "thr_" + TestPostgres.unique();
        String name = "thr" + TestPostgres.unique();
        // Gated per tenant: the runtime's own integrity application publishes the collection's
        // state, but never a state for a tenant no sample describes, so this test's gate stays put.
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(8), tenant text NOT NULL)");
        fixture.register(name, "public." + table, "embedding", Metric.L2, List.of(), "tenant", 8);

        drainSeconds(table, 1, 10_000); // JIT warm-up on the same path, not compared
        double free = drainSeconds(table, 10_001, ROWS);
        publish(name, GateAction.THROTTLE, 0.5);
        double throttled = drainSeconds(table, 10_001 + ROWS, ROWS);
        System.out.println("ThrottleIT: throttle after the throttled load " + fixture.runtime.capture().currentThrottle());
        double ratio = free / throttled;
        System.out.printf("ThrottleIT: unthrottled %.2f s, throttled %.2f s for %d rows: rate ratio %.2f%n", free,
                throttled, ROWS, ratio);
        // About the gate's 0.5: measured 0.57-0.70 on this 2-core machine (the pacer's capacity is
        // learned, and the start of a load runs below the cap); without the throttle it is ~0.9-1.1.
        // The lower bound only catches a capture that stalls: on a busy CI machine 0.28 was seen,
        // the capacity having been learned while other work competed for the two cores.
        assertThat(ratio).as("throttled rate / unthrottled rate").isBetween(0.15, 0.8);

        List<IntegritySample> samples = fixture.runtime.captureTelemetry().sampleOnce();
        assertThat(samples).filteredOn(s -> s.getCollection().equals(name)).singleElement().satisfies(s -> {
            assertThat(s.getSource()).isEqualTo(SampleSource.CDC);
            assertThat(s.getCdc().getCurrentThrottle()).isCloseTo(0.5, org.assertj.core.api.Assertions.within(0.01));
            assertThat(s.getCdc().getSlotLagBytes()).isGreaterThanOrEqualTo(0);
        });

        publish(name, GateAction.ALLOW, 1.0);
        try (VectorsTopic topic = fixture.vectors()) {
            int expected = 10_000 + 2 * ROWS;
            topic.await(r -> ids(topic, name).size() == expected, Duration.ofSeconds(120), expected + " distinct ids");
            Set<String> ids = ids(topic, name);
            for (long id = 1; id <= expected; id++) {
                assertThat(ids).contains(Long.toString(id));
            }
            long lsn = ((Number) TestPostgres.query("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn").getFirst().getFirst()).longValue();
            fixture.runtime.index().awaitWatermark(lsn, Duration.ofSeconds(120));
            long indexed = fixture.runtime.index().stats(name).values().stream().mapToLong(s -> s.liveRows()).sum();
            assertThat(indexed).as("index == table").isEqualTo(expected);
        }
    }

    private static Set<String> ids(VectorsTopic topic, String name) {
        Set<String> ids = new HashSet<>();
        topic.changes(name).forEach(c -> ids.add(c.getId()));
        return ids;
    }

    /** Bulk insert of {@code rows} rows, then the seconds from the first to the last of them published. */
    private static double drainSeconds(String table, long first, int rows) throws Exception {
        long before = fixture.runtime.captureMetrics().accepted();
        TestPostgres.exec("INSERT INTO " + table + " SELECT g, array_fill((g % 97)::real, ARRAY[8])::vector, 't1' "
                + "FROM generate_series(" + first + ", " + (first + rows - 1) + ") g");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        // The apply rate: from the first change of the load on, so that the fixed delay before
        // decoding starts (the same throttled or not) does not dilute the ratio.
        while (fixture.runtime.captureMetrics().accepted() == before) {
            assertThat(System.nanoTime()).as("first change of the load").isLessThan(deadline);
            Thread.sleep(1);
        }
        long start = System.nanoTime();
        while (fixture.runtime.captureMetrics().accepted() < before + rows) {
            assertThat(System.nanoTime()).as("capture of %d rows", rows).isLessThan(deadline);
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void publish(String collection, GateAction medium, double fraction) throws Exception {
        IntegrityState state = IntegrityState.newBuilder().setScope(collection + "/t1").setCollection(collection).setTenant("t1")
                .setState(medium == GateAction.ALLOW ? IntegrityLevel.NORMAL : IntegrityLevel.STRESS)
                .setSinceMillis(System.currentTimeMillis()).setLastSampleMillis(System.currentTimeMillis())
                .setLambda(0.5).setLambdaCut(1.0)
                .setPolicy(EffectiveIntegrityPolicy.newBuilder().setThresholdHigh(0.8).setThresholdLow(0.3)
                        .setSamplesToStress(3).setSamplesToCritical(2).setRecoveryHoldSeconds(300L).setRecoveryMargin(0.1)
                        .setCooldownSeconds(60L).setLagBudgetRecords(10_000L).setLagBudgetMillis(30_000L)
                        .setLatencyBudgetMicros(50_000L).setStandbyLagBudgetRecords(10_000L).setErrorRateBudget(0.05)
                        .setLoadSkewBudget(3.0).setSource("test").build())
                .setGates(List.of(
                        GateRule.newBuilder().setRisk(RiskLevel.LOW).setAction(GateAction.ALLOW).setAdmitFraction(1.0).build(),
                        GateRule.newBuilder().setRisk(RiskLevel.MEDIUM).setAction(medium).setAdmitFraction(fraction).build()))
                .build();
        try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(fixture.runtime.bootstrapServers()));
             KafkaProducer<String, IntegrityState> producer = new KafkaProducer<>(
                     Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.runtime.bootstrapServers()),
                     new StringSerializer(), AvroSerde.forValues(registry, IntegrityState.class))) {
            RuvectorSchemas.registerAll(registry);
            producer.send(new ProducerRecord<>(fixture.runtime.config().topics().integrityState(), collection + "/t1", state)).get();
        }
        Thread.sleep(1_000); // the feed polls the compacted topic
    }
}
