package io.ruvector.index.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.Metric;
import org.junit.jupiter.api.Test;

class VectorDistancesTest {

    @Test
    void shouldPickPanamaWhenPropertyIsUnsetAndVectorModuleIsPresent() {
        // Surefire runs with --add-modules jdk.incubator.vector (parent pom).
        assertThat(VectorDistances.select(null)).isInstanceOf(PanamaVectorDistance.class);
        assertThat(VectorDistances.select("")).isInstanceOf(PanamaVectorDistance.class);
    }

    @Test
    void shouldForceTheKernelWhenPropertyNamesOne() {
        assertThat(VectorDistances.select("scalar")).isSameAs(ScalarVectorDistance.INSTANCE);
        assertThat(VectorDistances.select(" Panama ").name()).isEqualTo("panama");
    }

    @Test
    void shouldFailNamingThePropertyWhenValueIsUnknown() {
        assertThatThrownBy(() -> VectorDistances.select("avx512"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ruvector.kernel='avx512'")
                .hasMessageContaining("'scalar' or 'panama'");
    }

    @Test
    void shouldReturnTheSameKernelWhenCalledRepeatedly() {
        VectorDistance kernel = VectorDistances.get();
        assertThat(VectorDistances.get()).isSameAs(kernel);
        for (Metric metric : Metric.values()) {
            DistanceFunction function = VectorDistances.forMetric(metric);
            assertThat(function.kernel()).isSameAs(kernel);
            assertThat(function.metric()).isEqualTo(metric);
        }
        assertThat(VectorDistances.scalar().name()).isEqualTo("scalar");
    }
}
