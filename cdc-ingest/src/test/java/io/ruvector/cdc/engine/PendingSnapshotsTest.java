package io.ruvector.cdc.engine;

import io.ruvector.cdc.testing.ManualClock;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PendingSnapshotsTest {

    private static final Schema SOURCE = SchemaBuilder.struct().field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA).field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("source", SOURCE).build();

    private final List<String> finished = new ArrayList<>();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void shouldHoldWatermarksUntilTheTablesLastSnapshotRowWhenASnapshotIsPending() {
        PendingSnapshots pending = new PendingSnapshots(clock, Duration.ofMinutes(5), finished::add);
        pending.add("public.items");
        assertThat(pending.isEmpty()).isFalse();

        pending.observe(record("public", "items", "true"));
        pending.observe(record("public", "other", "last"));
        assertThat(pending.isEmpty()).isFalse();
        assertThat(finished).isEmpty();

        pending.observe(record("public", "items", "last_in_data_collection"));
        assertThat(pending.isEmpty()).isTrue();
        assertThat(finished).containsExactly("public.items");
    }

    @Test
    void shouldReleaseAndReportASnapshotWhenItsDeadlinePassed() {
        PendingSnapshots pending = new PendingSnapshots(clock, Duration.ofMinutes(5), finished::add);
        pending.add("public.items");
        clock.advance(Duration.ofMinutes(4));
        assertThat(pending.isEmpty()).isFalse();
        clock.advance(Duration.ofMinutes(2));
        assertThat(pending.isEmpty()).isTrue();
        assertThat(finished).containsExactly("public.items");
    }

    @Test
    void shouldReportATableLoadingFromItsFirstSnapshotRowToItsLastWhenNoSnapshotWasRequested() {
        // the first start's initial snapshot: nobody called add(), the rows still say "snapshot"
        PendingSnapshots pending = new PendingSnapshots(clock, Duration.ofMinutes(5), finished::add);
        assertThat(pending.isLoading("public.items")).isFalse();

        pending.observe(record("public", "items", "first"));
        pending.observe(record("public", "items", "true"));
        assertThat(pending.isLoading("public.items")).isTrue();
        assertThat(pending.isLoading("public.other")).isFalse();
        assertThat(pending.isEmpty()).as("rows of an initial snapshot still arriving hold watermarks back").isFalse();

        pending.observe(record("public", "items", "last"));
        assertThat(pending.isLoading("public.items")).isFalse();
        assertThat(pending.isEmpty()).isTrue();

        pending.observe(record("public", "other", "true"));
        pending.observe(record("public", "other", "false")); // streamed again: the snapshot is over
        assertThat(pending.isLoading("public.other")).isFalse();
        assertThat(finished).isEmpty();
    }

    @Test
    void shouldReleaseASnapshotCutOffWithoutItsLastRowAfterThePatience() {
        PendingSnapshots pending = new PendingSnapshots(clock, Duration.ofMinutes(5), finished::add);
        pending.observe(record("public", "items", "first"));
        clock.advance(Duration.ofMinutes(4));
        assertThat(pending.isEmpty()).isFalse();
        clock.advance(Duration.ofMinutes(2));
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.isLoading("public.items")).isFalse();
    }

    @Test
    void shouldStillReportASnapshotPublishedBetweenTwoSamplesWithinTheWindow() {
        // 100k rows can be published in less than one 10 s sample interval: the sample after must see them
        PendingSnapshots pending = new PendingSnapshots(clock, Duration.ofMinutes(5), finished::add);
        pending.observe(record("public", "items", "first"));
        pending.observe(record("public", "items", "last"));
        assertThat(pending.isLoading("public.items")).isFalse();
        assertThat(pending.loadedWithin("public.items", Duration.ofSeconds(20))).isTrue();
        assertThat(pending.loadedWithin("public.other", Duration.ofSeconds(20))).isFalse();
        clock.advance(Duration.ofSeconds(21));
        assertThat(pending.loadedWithin("public.items", Duration.ofSeconds(20))).isFalse();
    }

    @Test
    void shouldReportARequestedSnapshotLoadingUntilItEnds() {
        PendingSnapshots pending = new PendingSnapshots(clock, Duration.ofMinutes(5), finished::add);
        pending.add("public.items");
        assertThat(pending.isLoading("public.items")).isTrue();
        pending.observe(record("public", "items", "last_in_data_collection"));
        assertThat(pending.isLoading("public.items")).isFalse();
    }

    private static SourceRecord record(String schema, String table, String snapshot) {
        Struct source = new Struct(SOURCE).put("schema", schema).put("table", table).put("snapshot", snapshot);
        return new SourceRecord(Map.of(), Map.of(), "t", null, ENVELOPE, new Struct(ENVELOPE).put("source", source));
    }
}
