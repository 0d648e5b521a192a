package io.ruvector.compose.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ruvector.cdc.engine.CaptureConfig;
import io.ruvector.cdc.engine.ConnectorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code ./ruvector connect-config}: the Debezium connector configuration for a Kafka Connect
 * cluster (cluster mode), to {@code POST} to Connect's {@code /connectors}. The normaliser
 * ({@code ./ruvector run --role normaliser}) reads what that connector produces.
 */
@Command(name = "connect-config", mixinStandardHelpOptions = true,
        description = "Print the Debezium connector configuration (JSON for Kafka Connect's POST /connectors) that "
                + "captures the given tables for the normaliser role.")
final class ConnectConfigCommand implements Callable<Integer> {

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*\\.[A-Za-z_][A-Za-z0-9_$]*");

    @Mixin
    PgOptions pg = new PgOptions();

    @Option(names = "--deployment", defaultValue = "default",
            description = "capture deployment: names the connector ruvector-<NAME> and its slot ruvector_<NAME>; "
                    + "default ${DEFAULT-VALUE}")
    String deployment;

    @Option(names = "--table", paramLabel = "SCHEMA.TABLE", required = true,
            description = "a table of a registered collection (repeat for several)")
    List<String> tables;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "-1",
            description = "replication factor of the CDC topics Connect creates (-1 = the brokers' default); "
                    + "default ${DEFAULT-VALUE}")
    int replicationFactor;

    @Option(names = "--heartbeat-ms", paramLabel = "MS", defaultValue = "1000",
            description = "how often the connector writes a watermark message into the WAL; default ${DEFAULT-VALUE}")
    long heartbeatMs;

    @Option(names = "--out", paramLabel = "FILE", description = "write the JSON here instead of standard output")
    Path out;

    @Override
    public Integer call() throws Exception {
        for (String table : tables) {
            if (!TABLE.matcher(table).matches()) {
                throw new IllegalArgumentException("--table must be SCHEMA.TABLE (unquoted identifiers), was '" + table + "'");
            }
        }
        CaptureConfig capture = CaptureConfig.of(pg.settings(), "unused:9092", deployment);
        Map<String, Object> connector = ConnectorConfig.forConnect(capture, new TreeSet<>(tables), replicationFactor,
                heartbeatMs);
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(connector);
        if (out == null) {
            System.out.println(json);
        } else {
            Files.writeString(out, json + System.lineSeparator());
            System.err.println("wrote connector " + connector.get("name") + " to " + out);
        }
        return 0;
    }
}
