package io.ruvector.compose.cli;

import picocli.CommandLine.Option;

/** The {@code --http URL} option of the commands that call a running runtime's API. */
final class HttpOption {

    @Option(names = "--http", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "the runtime's HTTP API; default ${DEFAULT-VALUE}")
    String url;
}
