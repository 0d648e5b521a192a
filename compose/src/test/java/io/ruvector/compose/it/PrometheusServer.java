package io.ruvector.compose.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's package) on loopback that scrapes one runtime every second
 * and evaluates the shipped alert rules every second, for tests that check the rules against a
 * real scrape. Stopped by {@link #close()}.
 */
final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final int port;
    private final HttpClient client = HttpClient.newHttpClient();

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static PrometheusServer scraping(int runtimePort, Path dir) throws Exception {
        return scraping(runtimePort, dir, null);
    }

    /**
     * @param alertFor when not null, every rule's {@code for:} hold is replaced by this one (a test's
     *                 short hold: the expressions stay the shipped ones)
     */
    static PrometheusServer scraping(int runtimePort, Path dir, Duration alertFor) throws Exception {
        Path rules = Path.of("src/main/resources/prometheus/ruvector-rules.yml").toAbsolutePath();
        Files.createDirectories(dir);
        if (alertFor != null) {
            Path shortened = dir.resolve("ruvector-rules-test-holds.yml");
            Files.writeString(shortened, Files.readString(rules).replaceAll("(?m)^(\\s+for:) .*$",
                    "$1 " + alertFor.toSeconds() + "s"));
            rules = shortened;
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: ruvector
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(rules, runtimePort));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        return new PrometheusServer(p, port);
    }

    /** GET {@code /api/v1/...}; the {@code data} node. */
    JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/"
                + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("data");
    }

    /** The alerts Prometheus holds now ({@code /api/v1/alerts}): pending and firing. */
    JsonNode alerts() throws Exception {
        return api("alerts").path("alerts");
    }

    JsonNode query(String promql) throws Exception {
        return api("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
