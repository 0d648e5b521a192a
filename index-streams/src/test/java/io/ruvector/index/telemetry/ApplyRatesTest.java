package io.ruvector.index.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ApplyRates}: rates over the last span of windows, so one poll's burst is not a hotspot. */
class ApplyRatesTest {

    private static ActivityWindow stored(Map<String, Long> byCollection) {
        return new ActivityWindow(0, 0, 0, 0, byCollection, LatencySummary.EMPTY, LatencySummary.EMPTY,
                ActivityWindow.NO_COMMIT);
    }

    @Test
    void shouldAverageBurstsOverTheSpanWhenWindowsAreShorter() {
        ApplyRates rates = new ApplyRates(10_000);
        // ten 1 s windows: partition 0 gets its 100 changes in one burst, partition 1 ten a second
        for (int i = 0; i < 10; i++) {
            rates.add(Map.of(0, stored(i == 3 ? Map.of("c", 100L) : Map.of()), 1, stored(Map.of("c", 10L))), 1_000);
        }

        assertThat(rates.perSecond().get(0).get("c")).isCloseTo(10.0, within(1e-9));
        assertThat(rates.perSecond().get(1).get("c")).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void shouldForgetWindowsOlderThanTheSpanAndKeepARealExcess() {
        ApplyRates rates = new ApplyRates(10_000);
        rates.add(Map.of(0, stored(Map.of("c", 1_000L))), 10_000); // an old busy window
        for (int i = 0; i < 10; i++) {
            rates.add(Map.of(0, stored(Map.of("c", 30L)), 1, stored(Map.of("c", 10L))), 1_000);
        }

        assertThat(rates.perSecond().get(0).get("c")).as("the old window is gone").isCloseTo(30.0, within(1e-9));
        assertThat(rates.perSecond().get(1).get("c")).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void shouldUseTheLastWindowAloneWhenItCoversTheSpan() {
        ApplyRates rates = new ApplyRates(10_000);
        rates.add(Map.of(0, stored(Map.of("c", 500L))), 10_000);
        rates.add(Map.of(0, stored(Map.of())), 10_000);

        assertThat(rates.perSecond()).doesNotContainKey(0);
    }
}
