package io.ruvector.cdc.telemetry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlotLagTest {

    private static final long NOW = 1_000_000;
    private static final long IDLE = SlotLag.DEFAULT_IDLE_SLOT_BYTES;
    private static final long LIVE = SlotLag.DEFAULT_LIVE_WITHIN_MILLIS;

    @Test
    void shouldReportNoLagWhenTheSlotHoldsOnlyWatermarksAfterABulkLoad() {
        // the reported case: Fashion-MNIST loaded with an 11.48 s capture delay, then idle; 192 bytes of watermarks
        assertThat(SlotLag.millis(NOW, 192, NOW - 3_600_000, true, 11_480, IDLE, LIVE)).isZero();
    }

    @Test
    void shouldReportNoLagWhenTheNewestBatchHeldOnlyWatermarks() {
        // background WAL of other databases keeps the slot above the threshold; watermarks still flow
        assertThat(SlotLag.millis(NOW, 5_000_000, NOW - 100, false, 11_480, IDLE, LIVE)).isZero();
    }

    @Test
    void shouldReportTheNewestDelayWhenChangesAreStillFlowing() {
        assertThat(SlotLag.millis(NOW, 50_000_000, NOW - 200, true, 11_480, IDLE, LIVE)).isEqualTo(11_480);
    }

    @Test
    void shouldGrowWithSilenceWhenTheCaptureIsStuckWithPendingWal() {
        assertThat(SlotLag.millis(NOW, 50_000_000, NOW - 25_000, true, 2_000, IDLE, LIVE)).isEqualTo(27_000);
        assertThat(SlotLag.millis(NOW, 50_000_000, NOW - 25_000, false, 2_000, IDLE, LIVE)).isEqualTo(25_000);
    }

    @Test
    void shouldReportNoLagWhenNoBatchWasHandledYet() {
        assertThat(SlotLag.millis(NOW, 50_000_000, -1, false, 0, IDLE, LIVE)).isZero();
    }
}
