package io.ruvector.compose.runtime;

import io.ruvector.cdc.engine.PgConnectionSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoleTest {

    private static final PgConnectionSettings PG = PgConnectionSettings.parse("postgresql://u:p@localhost:5432/db", null, null);

    @Test
    void parsesCommaListsCaseInsensitively() {
        assertThat(Role.parse("normaliser, INDEX")).containsExactlyInAnyOrder(Role.NORMALISER, Role.INDEX);
        assertThat(Role.parse("integrity,healing")).containsExactlyInAnyOrder(Role.INTEGRITY, Role.HEALING);
    }

    @Test
    void namesWhatCannotRun() {
        assertThatThrownBy(() -> Role.parse("index,search")).hasMessageContaining("unknown role 'search'");
        assertThatThrownBy(() -> Role.parse(" , ")).hasMessageContaining("at least one role");
        assertThatThrownBy(() -> Role.parse("capture,normaliser")).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> Role.parse("healing")).hasMessageContaining("beside integrity");
    }

    @Test
    void theOldFlagsAreRoleSets() {
        RuntimeConfig embedded = RuntimeConfig.of(Path.of("d"), PG);
        assertThat(embedded.roles()).isEqualTo(Role.EMBEDDED_DEFAULT);
        assertThat(embedded.runsCapture()).isTrue();
        assertThat(embedded.capturesViaConnect()).isFalse();

        RuntimeConfig captureOnly = embedded.withCaptureOnly(true);
        assertThat(captureOnly.roles()).containsExactly(Role.CAPTURE);
        assertThat(captureOnly.runsIndex()).isFalse();
        assertThat(captureOnly.runsIntegrity()).isFalse();

        RuntimeConfig joining = embedded.joining("kafka:9092");
        assertThat(joining.roles()).containsExactlyInAnyOrder(Role.INDEX, Role.INTEGRITY, Role.HEALING);
        assertThat(joining.runsCapture()).isFalse();
        // withers keep the roles
        assertThat(joining.withDeployment("other").roles()).isEqualTo(joining.roles());
    }

    @Test
    void rolesWithoutTheCaptureJoinAnExistingKafka() {
        RuntimeConfig embedded = RuntimeConfig.of(Path.of("d"), PG);
        assertThatThrownBy(() -> embedded.withRoles(Set.of(Role.INDEX))).hasMessageContaining("--kafka");
        assertThatThrownBy(() -> embedded.withRoles(Set.of(Role.NORMALISER))).hasMessageContaining("--kafka");
        RuntimeConfig normaliser = embedded.withKafka("kafka:9092").withRoles(Set.of(Role.NORMALISER));
        assertThat(normaliser.capturesViaConnect()).isTrue();
        assertThat(normaliser.runsCapture()).isTrue();
        assertThat(normaliser.runsIndex()).isFalse();
        assertThat(normaliser.connect()).isEqualTo(ConnectSource.DEFAULT);
    }
}
