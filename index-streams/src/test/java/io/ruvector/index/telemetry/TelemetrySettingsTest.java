package io.ruvector.index.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TelemetrySettingsTest {

    @Test
    void shouldFillTheDocumentedDefaultsWhenDurationsAreNull() {
        TelemetrySettings defaults = TelemetrySettings.DEFAULTS;
        assertThat(defaults.sampleInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.centroidInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.centroids()).isEqualTo(16);
        assertThat(defaults.reservoir()).isEqualTo(2_000);
        assertThat(defaults.kmeansIterations()).isEqualTo(10);
        assertThat(defaults.jobOverrun()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldTakeOneCentroidPerTenSampledVectorsAtMostTheSetting() {
        assertThat(TelemetrySettings.DEFAULTS.centroidsFor(2_000)).isEqualTo(16);
        assertThat(TelemetrySettings.DEFAULTS.centroidsFor(95)).isEqualTo(9);
        assertThat(TelemetrySettings.DEFAULTS.centroidsFor(9)).isZero();
    }

    @Test
    void shouldNameTheSettingWhenAValueIsOutOfRange() {
        assertThatThrownBy(() -> new TelemetrySettings(Duration.ZERO, null, 16, 2_000, 10, null))
                .hasMessageContaining("sampleInterval");
        assertThatThrownBy(() -> new TelemetrySettings(null, Duration.ofSeconds(-1), 16, 2_000, 10, null))
                .hasMessageContaining("centroidInterval");
        assertThatThrownBy(() -> new TelemetrySettings(null, null, 257, 2_000, 10, null))
                .hasMessageContaining("centroids must be in 1..256");
        assertThatThrownBy(() -> new TelemetrySettings(null, null, 0, 2_000, 10, null))
                .hasMessageContaining("centroids");
        assertThatThrownBy(() -> new TelemetrySettings(null, null, 16, -1, 10, null))
                .hasMessageContaining("reservoir");
        assertThatThrownBy(() -> new TelemetrySettings(null, null, 16, 2_000, 0, null))
                .hasMessageContaining("kmeansIterations");
        assertThatThrownBy(() -> new TelemetrySettings(null, null, 16, 2_000, 10, Duration.ZERO))
                .hasMessageContaining("jobOverrun");
    }
}
