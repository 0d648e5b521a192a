package io.ruvector.healing.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClassifierSettingsTest {

    @Test
    void shouldCarryTheDocumentedThresholdsWhenDefault() {
        assertThat(ClassifierSettings.DEFAULTS)
                .isEqualTo(new ClassifierSettings(3, 5, 2, 0.85, 0, 0.30, 1.0));
    }

    @Test
    void shouldNameTheFieldWhenAValueIsOutOfRange() {
        assertThatThrownBy(() -> new ClassifierSettings(-1, 5, 2, 0.85, 0, 0.3, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("hotspotPartitionLinks");
        assertThatThrownBy(() -> new ClassifierSettings(3, 5, 2, 1.5, 0, 0.3, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("memoryBudgetFraction");
        assertThatThrownBy(() -> new ClassifierSettings(3, 5, 2, Double.NaN, 0, 0.3, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("memoryBudgetFraction");
        assertThatThrownBy(() -> new ClassifierSettings(3, 5, 2, 0.85, -1, 0.3, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("memoryBudgetBytes");
        assertThatThrownBy(() -> new ClassifierSettings(3, 5, 2, 0.85, 0, 1.0, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("fragmentationFraction");
        assertThatThrownBy(() -> new ClassifierSettings(3, 5, 2, 0.85, 0, 0.3, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("lagBudgetFraction");
    }
}
