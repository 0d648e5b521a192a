package io.ruvector.healing.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Where a rebalance step moves buckets, from the index samples. */
class RebalanceTargetTest {

    @Test
    void shouldSpreadAPartitionHotByRowsOverEveryPartitionBelowTheMeanWhateverTheirTrickleOfWrites() {
        // partition 0 holds 102,500 rows, the seven others 2,500; a writer adds a few rows a second, unevenly
        double[] rates = {0.0, 4.0, 0.5, 0.0, 6.0, 1.0, 0.0, 3.5};
        List<PartitionStats> parts = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            parts.add(PartitionStats.newBuilder().setPartition(p).setHost("h:1").setVectorCount(p == 0 ? 102_500 : 2_500)
                    .setAppliedPerSecond(rates[p]).build());
        }

        RebalanceTarget target = RebalanceTarget.choose(List.of(sample(parts)), RebalanceTarget.MIN_SKEW).orElseThrow();

        assertThat(target.from()).isZero();
        assertThat(target.to()).as("a trickle of writes is no load").containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7);
        // 6.83× the mean: move 1 − 1/6.83 of its buckets
        assertThat(target.fraction()).isCloseTo(1 - 15_000.0 / 102_500, Offset.offset(1e-9));
    }

    @Test
    void shouldKeepAPartitionBusyWithRealWritesOffTheReceivers() {
        List<PartitionStats> parts = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            parts.add(PartitionStats.newBuilder().setPartition(p).setHost("h:1").setVectorCount(p == 0 ? 60_000 : 5_000)
                    .setAppliedPerSecond(p == 3 ? 150.0 : 20.0).build());
        }

        RebalanceTarget target = RebalanceTarget.choose(List.of(sample(parts)), RebalanceTarget.MIN_SKEW).orElseThrow();

        assertThat(target.from()).isZero();
        assertThat(target.to()).as("partition 3 applies 150 of 210 changes/s").containsExactly(2, 1);
    }

    private static IntegritySample sample(List<PartitionStats> parts) {
        return IntegritySample.newBuilder().setCollection("c").setSampledAtMillis(1).setSource(SampleSource.INDEX)
                .setInstanceId("h:1").setPartitions(parts).build();
    }
}
