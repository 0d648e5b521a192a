package io.ruvector.compose.cli;

import io.ruvector.cdc.engine.PgConnectionSettings;
import picocli.CommandLine.Option;

/** PostgreSQL connection options shared by the commands that talk to PostgreSQL. */
final class PgOptions {

    @Option(names = "--pg", paramLabel = "URL", defaultValue = "${RUVECTOR_PG:-postgresql://ruvector:ruvector@127.0.0.1:5432/ruvector}",
            description = "PostgreSQL with pgvector (postgresql://user:pass@host:port/db or jdbc:postgresql://...); default ${DEFAULT-VALUE}")
    String url;

    @Option(names = "--pg-user", paramLabel = "USER", description = "user name (overrides the one in --pg)")
    String user;

    @Option(names = "--pg-password", paramLabel = "PASSWORD", description = "password (overrides the one in --pg)")
    String password;

    PgConnectionSettings settings() {
        return PgConnectionSettings.parse(url, user, password);
    }
}
