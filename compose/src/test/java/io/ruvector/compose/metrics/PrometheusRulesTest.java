package io.ruvector.compose.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped alert rules pass Prometheus's own checker ({@code promtool check rules}, Debian's
 * {@code prometheus} package, installed by {@code ./ruvector test}), and name only meters the
 * runtime exports.
 */
class PrometheusRulesTest {

    static final Path RULES = Path.of("src/main/resources/prometheus/ruvector-rules.yml");

    @Test
    void shouldPassPromtoolCheckRules() throws Exception {
        assertThat(Files.exists(Path.of("/usr/bin/promtool")))
                .as("promtool (Debian package prometheus; ./ruvector test installs it)").isTrue();
        Process p = new ProcessBuilder("promtool", "check", "rules", RULES.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("SUCCESS: 7 rules found");
    }

    @Test
    void shouldAlertOnTheSeedsHealingConditionsAndTheIntegrityStates() throws Exception {
        String rules = Files.readString(RULES);
        assertThat(rules).contains("alert: RuVectorHealingIneffective", "ruvector_healing_success_rate < 0.5",
                "alert: RuVectorHealingDisabled", "ruvector_healing_enabled == 0",
                "alert: RuVectorProlongedDegradation", "ruvector_healing_attempts_total",
                "alert: RuVectorIntegrityCritical", "ruvector_integrity_state == 2");
    }
}
