package io.ruvector.cdc.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.cdc.engine.PgConnectionSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PgConnectionSettingsTest {

    @Test
    void shouldParseAllPartsWhenLibpqUrlIsComplete() {
        PgConnectionSettings s = PgConnectionSettings.parse("postgresql://alice:s3cret@db.example:6543/shop", null, null);

        assertThat(s).isEqualTo(new PgConnectionSettings("db.example", 6543, "shop", "alice", "s3cret"));
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/shop");
        assertThat(s.jdbcProperties()).containsEntry("user", "alice").containsEntry("password", "s3cret");
    }

    @Test
    void shouldDefaultPortWhenUrlHasNone() {
        PgConnectionSettings s = PgConnectionSettings.parse("postgres://bob@localhost/ruvector", null, null);

        assertThat(s.port()).isEqualTo(5432);
        assertThat(s.user()).isEqualTo("bob");
        assertThat(s.password()).isNull();
        assertThat(s.jdbcProperties()).doesNotContainKey("password");
    }

    @Test
    void shouldReadCredentialsFromQueryWhenJdbcUrl() {
        PgConnectionSettings s = PgConnectionSettings.parse(
                "jdbc:postgresql://127.0.0.1:5432/ruvector?user=ruvector&password=p%26w", null, null);

        assertThat(s).isEqualTo(new PgConnectionSettings("127.0.0.1", 5432, "ruvector", "ruvector", "p&w"));
    }

    @Test
    void shouldDecodePercentEncodingButKeepPlusWhenPasswordHasSpecialCharacters() {
        PgConnectionSettings s = PgConnectionSettings.parse("postgresql://u%40corp:a+b%2Fc@h/db", null, null);

        assertThat(s.user()).isEqualTo("u@corp");
        assertThat(s.password()).isEqualTo("a+b/c");
    }

    @Test
    void shouldPreferOverridesWhenGiven() {
        PgConnectionSettings s = PgConnectionSettings.parse("postgresql://alice:old@h:1/db", "carol", "new");

        assertThat(s.user()).isEqualTo("carol");
        assertThat(s.password()).isEqualTo("new");
    }

    @Test
    void shouldTakeUserFromOverrideWhenUrlHasNone() {
        PgConnectionSettings s = PgConnectionSettings.parse("jdbc:postgresql://h/db", "dave", null);

        assertThat(s.user()).isEqualTo("dave");
    }

    @Test
    void shouldBracketHostInJdbcUrlWhenIpv6() {
        PgConnectionSettings s = PgConnectionSettings.parse("postgresql://u@[::1]:5433/db", null, null);

        assertThat(s.host()).isEqualTo("::1");
        assertThat(s.port()).isEqualTo(5433);
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/db");
    }

    @Test
    void shouldHidePasswordWhenPrinted() {
        PgConnectionSettings s = PgConnectionSettings.parse("postgresql://alice:s3cret@h/db", null, null);

        assertThat(s.toString()).doesNotContain("s3cret").contains("alice@h:5432/db");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "mysql://u@h/db                       | must start with postgresql://",
        "localhost:5432/db                    | must start with postgresql://",
        "postgresql://u@h:abc/db              | port 'abc' is not a number",
        "postgresql://u@h:70000/db            | port 70000 is out of range",
        "postgresql://u@h:5432                | no database name",
        "postgresql://u@h:5432/               | no database name",
        "postgresql://u@:5432/db              | no host",
        "postgresql://h:5432/db               | no PostgreSQL user",
        "postgresql://u@h1,h2/db              | several hosts",
        "postgresql://u@h/db?sslmode=require  | unsupported parameter 'sslmode'",
        "postgresql://u:%zz@h/db              | bad percent-encoding in the password",
        "postgresql://u@[::1/db               | unclosed IPv6",
    })
    void shouldFailNamingTheProblemWhenUrlIsBad(String url, String expected) {
        assertThatThrownBy(() -> PgConnectionSettings.parse(url, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected.strip());
    }

    @Test
    void shouldNotEchoPasswordWhenUrlIsBad() {
        assertThatThrownBy(() -> PgConnectionSettings.parse("postgresql://u:hunter2@h:x/db", null, null))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldFailWhenUrlIsEmpty() {
        assertThatThrownBy(() -> PgConnectionSettings.parse("  ", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }
}
