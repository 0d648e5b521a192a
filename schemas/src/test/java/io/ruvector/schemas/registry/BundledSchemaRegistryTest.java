package io.ruvector.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.VectorChange;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class BundledSchemaRegistryTest {

    private static final Schema FOO = SchemaBuilder.record("Foo").namespace("test").fields()
            .requiredLong("a").endRecord();
    private static final Schema BAR = SchemaBuilder.record("Bar").namespace("test").fields()
            .requiredString("b").endRecord();

    @Test
    void shouldHandOutSameIdsWhenTwoRegistriesShareLog() {
        InMemorySchemaLog log = new InMemorySchemaLog();

        Map<String, Integer> first = RuvectorSchemas.registerAll(new BundledSchemaRegistry(log));
        Map<String, Integer> second = RuvectorSchemas.registerAll(new BundledSchemaRegistry(log));

        assertThat(first).hasSize(RuvectorSchemas.all().size()).isEqualTo(second);
        assertThat(first.get("io.ruvector.schemas.VectorChange"))
                .isEqualTo(BundledSchemaRegistry.fingerprintId(VectorChange.getClassSchema()))
                .isPositive();
        assertThat(log.readAll()).hasSize(first.size());
    }

    @Test
    void shouldIgnoreSubjectAndDocsWhenComputingId() {
        BundledSchemaRegistry registry = new BundledSchemaRegistry(new InMemorySchemaLog());
        Schema documented = SchemaBuilder.record("Foo").namespace("test").doc("docs do not change the id").fields()
                .requiredLong("a").endRecord();

        assertThat(registry.register("x-value", FOO)).isEqualTo(registry.register("y-key", documented));
    }

    @Test
    void shouldResolveUnknownIdFromLogWhenAnotherInstanceRegisteredIt() {
        InMemorySchemaLog log = new InMemorySchemaLog();
        int id = new BundledSchemaRegistry(log).register("t-value", FOO);
        BundledSchemaRegistry other = new BundledSchemaRegistry(log);

        assertThat(other.schemaById(id)).isEqualTo(FOO);
        assertThat(other.schemaById(id)).isEqualTo(FOO);
        assertThat(log.readCount()).isEqualTo(1);
    }

    @Test
    void shouldResolveBundledIdsWithoutReadingLogWhenSchemaShipsWithBuild() {
        InMemorySchemaLog log = new InMemorySchemaLog();
        BundledSchemaRegistry registry = new BundledSchemaRegistry(log);

        Schema schema = registry.schemaById(BundledSchemaRegistry.fingerprintId(VectorChange.getClassSchema()));

        assertThat(schema.getFullName()).isEqualTo("io.ruvector.schemas.VectorChange");
        assertThat(log.readCount()).isZero();
    }

    @Test
    void shouldNameIdAndLogWhenIdIsUnknownEverywhere() {
        BundledSchemaRegistry registry = new BundledSchemaRegistry(new InMemorySchemaLog());

        assertThatThrownBy(() -> registry.schemaById(17))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unknown schema id 17")
                .hasMessageContaining("InMemorySchemaLog");
    }

    @Test
    void shouldRecordEachSchemaOnceWhenRegisteredRepeatedly() {
        AtomicInteger writes = new AtomicInteger();
        InMemorySchemaLog inner = new InMemorySchemaLog();
        SchemaLog counting = new SchemaLog() {
            @Override
            public void record(int id, Schema schema) {
                writes.incrementAndGet();
                inner.record(id, schema);
            }

            @Override
            public Map<Integer, Schema> readAll() {
                return inner.readAll();
            }
        };
        BundledSchemaRegistry registry = new BundledSchemaRegistry(counting);

        for (int i = 0; i < 5; i++) {
            registry.register("a-value", FOO);
            registry.register("b-value", FOO);
        }

        assertThat(writes).hasValue(1);
    }

    @Test
    void shouldFailLoudlyWhenTwoSchemasFoldToSameId() {
        BundledSchemaRegistry registry = new BundledSchemaRegistry(new InMemorySchemaLog(), List.of(), s -> 7);
        registry.register("s", FOO);

        assertThatThrownBy(() -> registry.register("s", BAR))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("schema id collision: id 7")
                .hasMessageContaining("test.Foo").hasMessageContaining("test.Bar");
    }

    @Test
    void shouldFailLoudlyWhenBundledSchemasCollide() {
        assertThatThrownBy(() -> new BundledSchemaRegistry(new InMemorySchemaLog(), List.of(FOO, BAR), s -> 7))
                .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("collision");
    }

    @Test
    void shouldRejectLogEntryWhenIdDoesNotMatchFingerprint() {
        InMemorySchemaLog log = new InMemorySchemaLog();
        log.record(99, FOO);
        BundledSchemaRegistry registry = new BundledSchemaRegistry(log);

        assertThatThrownBy(() -> registry.schemaById(99))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("under id 99 but its fingerprint id is " + BundledSchemaRegistry.fingerprintId(FOO));
    }

    @Test
    void shouldNotHandOutIdWhenLogWriteFails() {
        SchemaLog broken = new SchemaLog() {
            @Override
            public void record(int id, Schema schema) {
                throw new IllegalStateException("broker down");
            }

            @Override
            public Map<Integer, Schema> readAll() {
                return Map.of();
            }
        };
        BundledSchemaRegistry registry = new BundledSchemaRegistry(broken);

        assertThatThrownBy(() -> registry.register("s", FOO))
                .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("broker down");
        assertThatThrownBy(() -> registry.register("s", FOO)).hasMessageContaining("broker down");
    }
}
