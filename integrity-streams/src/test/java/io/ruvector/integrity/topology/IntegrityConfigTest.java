package io.ruvector.integrity.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class IntegrityConfigTest {

    @Test
    void shouldFillDefaultsWhenOnlyConnectionAndStateDirAreGiven() {
        IntegrityConfig config = IntegrityConfig.of("localhost:9092", Path.of("/var/ruvector"));

        assertThat(config.applicationId()).isEqualTo("ruvector-integrity");
        assertThat(config.topics()).isEqualTo(TopicNames.DEFAULT);
        assertThat(config.keyDir()).isEqualTo(Path.of("/var/ruvector/integrity-keys"));
        assertThat(config.settings().sampleInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.settings().staleAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.settings().hysteresis().thresholdHigh()).isEqualTo(0.8);
        assertThat(config.toProperties()).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "ruvector-integrity")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/var/ruvector");
    }

    @Test
    void shouldNameTheSettingWhenAValueIsBad() {
        Path dir = Path.of("/tmp");
        assertThatThrownBy(() -> new IntegrityConfig("bad id!", dir, "k:9092", null, null, null, null))
                .hasMessageContaining("application id");
        assertThatThrownBy(() -> new IntegrityConfig(null, dir, " ", null, null, null, null))
                .hasMessageContaining("bootstrap servers");
        assertThatThrownBy(() -> new IntegrityConfig(null, dir, "k:9092", null, null, null,
                Map.of(StreamsConfig.STATE_DIR_CONFIG, "/x"))).hasMessageContaining("state.dir");
        assertThatThrownBy(() -> new IntegritySettings(Duration.ofSeconds(10), Duration.ofSeconds(5), null, 20, true,
                null, null, null, null)).hasMessageContaining("staleAfter");
    }
}
