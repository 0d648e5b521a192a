package io.ruvector.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.schemas.registry.RuvectorSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The build-time BACKWARD compatibility gate: every current schema must read data written
 * with every released version under {@code src/main/avro-history/<RecordName>/v<n>.avsc},
 * and the latest released version must equal the current schema (parsing canonical form), so
 * that a schema change cannot ship without a new history file. See {@code schemas/README.md}.
 */
class SchemaEvolutionTest {

    static final Path HISTORY = Path.of("src/main/avro-history");
    private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]*)\\.avsc");

    static Stream<String> currentRecordNames() {
        return RuvectorSchemas.all().stream().map(Schema::getName);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentRecordNames")
    void shouldReadEveryReleasedVersionAndMatchLatestWhenSchemaIsCurrent(String name) {
        Schema current = RuvectorSchemas.all().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();

        List<String> problems = problems(current, readHistory(HISTORY.resolve(name)));

        assertThat(problems).as("schema evolution of %s", name).isEmpty();
    }

    @Test
    void shouldReportIncompatibilityWhenRequiredFieldIsAdded() {
        Schema v1 = SchemaBuilder.record("R").namespace("t").fields().requiredLong("a").endRecord();
        Schema current = SchemaBuilder.record("R").namespace("t").fields().requiredLong("a").requiredString("b").endRecord();

        assertThat(problems(current, history(v1, current)))
                .singleElement().asString()
                .contains("R cannot read data written with v1")
                .contains("READER_FIELD_MISSING_DEFAULT").contains("b");
    }

    @Test
    void shouldAskForNextVersionWhenSchemaChangedWithoutHistoryFile() {
        Schema v1 = SchemaBuilder.record("R").namespace("t").fields().requiredLong("a").endRecord();
        Schema current = SchemaBuilder.record("R").namespace("t").fields().requiredLong("a")
                .name("b").type().stringType().stringDefault("x").endRecord();

        assertThat(problems(current, history(v1)))
                .singleElement().asString()
                .contains("R changed since v1").contains("add src/main/avro-history/R/v2.avsc");
    }

    @Test
    void shouldPassWhenDefaultedFieldIsAddedWithNewHistoryFile() {
        Schema v1 = SchemaBuilder.record("R").namespace("t").fields().requiredLong("a").endRecord();
        Schema v2 = SchemaBuilder.record("R").namespace("t").fields().requiredLong("a")
                .name("b").type().stringType().stringDefault("x").endRecord();

        assertThat(problems(v2, history(v1, v2))).isEmpty();
    }

    @Test
    void shouldAskForFirstVersionWhenRecordHasNoHistory() {
        Schema current = SchemaBuilder.record("R").namespace("t").fields().requiredLong("a").endRecord();

        assertThat(problems(current, new TreeMap<>())).singleElement().asString()
                .contains("add src/main/avro-history/R/v1.avsc");
    }

    @Test
    void shouldHaveHistoryOnlyForKnownRecordsWhenScanningHistoryDirectory() throws IOException {
        Set<String> known = Set.copyOf(currentRecordNames().toList());
        try (Stream<Path> dirs = Files.list(HISTORY)) {
            assertThat(dirs.map(p -> p.getFileName().toString())).allSatisfy(d -> assertThat(known).contains(d));
        }
    }

    /** Every reason the current schema may not ship; empty when it may. */
    static List<String> problems(Schema current, TreeMap<Integer, Schema> history) {
        String name = current.getName();
        List<String> problems = new ArrayList<>();
        if (history.isEmpty()) {
            problems.add(name + " has no released version: add src/main/avro-history/" + name
                    + "/v1.avsc containing:\n" + pretty(current));
            return problems;
        }
        int expected = 1;
        for (var entry : history.entrySet()) {
            if (entry.getKey() != expected++) {
                problems.add(name + " history skips a version before v" + entry.getKey() + ": versions are " + history.keySet());
                break;
            }
        }
        history.forEach((version, writer) -> {
            var result = SchemaCompatibility.checkReaderWriterCompatibility(current, writer).getResult();
            if (result.getCompatibility() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                StringBuilder why = new StringBuilder();
                result.getIncompatibilities().forEach(i -> why.append("\n  ").append(i.getType()).append(" at ")
                        .append(i.getLocation()).append(": ").append(i.getMessage()));
                problems.add(name + " cannot read data written with v" + version + " (not BACKWARD compatible):" + why);
            }
        });
        int latest = history.lastKey();
        if (!SchemaNormalization.toParsingForm(history.get(latest)).equals(SchemaNormalization.toParsingForm(current))) {
            problems.add(name + " changed since v" + latest + ": add src/main/avro-history/" + name + "/v" + (latest + 1)
                    + ".avsc containing the new schema (self-contained, named types inlined):\n" + pretty(current));
        }
        return problems;
    }

    static TreeMap<Integer, Schema> readHistory(Path dir) {
        TreeMap<Integer, Schema> history = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return history;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
                assertThat(m.matches()).as("history file %s must be named v<n>.avsc", file).isTrue();
                history.put(Integer.parseInt(m.group(1)), new Schema.Parser().parse(file.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return history;
    }

    private static TreeMap<Integer, Schema> history(Schema... versions) {
        TreeMap<Integer, Schema> history = new TreeMap<>();
        for (int i = 0; i < versions.length; i++) {
            history.put(i + 1, versions[i]);
        }
        return history;
    }

    private static String pretty(Schema schema) {
        try {
            ObjectMapper json = new ObjectMapper();
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(schema.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
