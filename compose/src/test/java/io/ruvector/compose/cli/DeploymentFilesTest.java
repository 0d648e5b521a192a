package io.ruvector.compose.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.compose.runtime.Role;
import io.ruvector.compose.runtime.RuntimeConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files in {@code compose/deploy} cannot run here (no Docker engine, no cluster),
 * so they are checked for what breaks them silently: they parse; every RuVector command line in
 * them is accepted by our CLI and makes a valid runtime configuration; ports, topic names,
 * partition counts and replication agree between the services; the dashboard queries only
 * meters the runtime exports; the example connector is what {@code connect-config} prints.
 */
class DeploymentFilesTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE = "ruvector-streams:0.1.0";

    @Test
    void composeFileCommandsRunAndAgree() throws Exception {
        JsonNode services = yaml(DEPLOY.resolve("docker-compose.yml")).get("services");
        Map<String, RuntimeConfig> runtimes = new HashMap<>();
        Map<String, Map<String, String>> options = new HashMap<>();
        services.fields().forEachRemaining(service -> {
            JsonNode s = service.getValue();
            if (IMAGE.equals(s.path("image").asText())) {
                List<String> args = strings(s.get("command"));
                runtimes.put(service.getKey(), runConfig(args, service.getKey()));
                options.put(service.getKey(), flags(args));
            }
        });
        assertThat(runtimes).containsOnlyKeys("normaliser", "index-1", "index-2", "integrity");
        assertThat(runtimes.get("normaliser").roles()).containsExactly(Role.NORMALISER);
        assertThat(runtimes.get("index-1").roles()).containsExactly(Role.INDEX);
        assertThat(runtimes.get("integrity").roles()).containsExactlyInAnyOrder(Role.INTEGRITY, Role.HEALING);
        // every role of the embedded default runs somewhere (the normaliser stands in for the capture)
        Set<Role> all = new HashSet<>();
        runtimes.values().forEach(r -> all.addAll(r.roles()));
        assertThat(all).contains(Role.NORMALISER, Role.INDEX, Role.INTEGRITY, Role.HEALING);

        // they share one Kafka, one topic layout, one partition count and one replication
        for (String flag : List.of("--kafka", "--partitions", "--replication-factor", "--min-insync-replicas", "--pg",
                "--schema-registry")) {
            assertThat(new TreeSet<>(options.values().stream().map(o -> o.get(flag)).toList())).as(flag).hasSize(1);
        }
        String kafka = options.get("normaliser").get("--kafka");
        for (String broker : kafka.split(",")) {
            assertThat(services.has(broker.split(":")[0])).as("broker %s is a service", broker).isTrue();
        }
        JsonNode brokerEnv = services.get("kafka-1").get("environment");
        assertThat(brokerEnv.get("KAFKA_DEFAULT_REPLICATION_FACTOR").asInt())
                .isEqualTo(Integer.parseInt(options.get("normaliser").get("--replication-factor")));
        assertThat(brokerEnv.get("KAFKA_MIN_INSYNC_REPLICAS").asInt())
                .isEqualTo(Integer.parseInt(options.get("normaliser").get("--min-insync-replicas")));

        // the normaliser reads the offsets topic the Connect worker writes
        JsonNode connect = services.get("connect").get("environment");
        assertThat(options.get("normaliser").get("--connect-offsets-topic")).isEqualTo(connect.get("OFFSET_STORAGE_TOPIC").asText());
        // the plugin jar Maven builds is the one mounted into Debezium's plugin directory
        String mount = strings(services.get("connect").get("volumes")).getFirst();
        Path jar = DEPLOY.resolve(mount.split(":")[0]).normalize();
        assertThat(jar.getFileName().toString()).endsWith("-connect-plugin.jar");
        assertThat(jar).as("the Connect plugin built by cdc-ingest").exists();
        assertThat(mount.split(":")[1]).startsWith("/kafka/connect/debezium-connector-postgres/");

        // ports: each runtime's --http-port is what compose publishes and Prometheus scrapes
        JsonNode prometheus = yaml(DEPLOY.resolve("prometheus/prometheus.yml"));
        Set<String> targets = new TreeSet<>(strings(prometheus.at("/scrape_configs/0/static_configs/0/targets")));
        Set<String> expected = new TreeSet<>();
        runtimes.forEach((name, config) -> {
            String port = options.get(name).get("--http-port");
            expected.add(name + ":" + port);
            assertThat(strings(services.get(name).get("ports")).getFirst()).as("%s ports", name).endsWith(":" + port);
            assertThat(options.get(name).get("--advertised-host")).as("%s advertises its service name", name).isEqualTo(name);
        });
        assertThat(targets).isEqualTo(expected);
        assertThat(strings(prometheus.get("rule_files"))).containsExactly("/etc/prometheus/ruvector-rules.yml");
        assertThat(strings(services.get("prometheus").get("volumes")))
                .anySatisfy(v -> assertThat(v).startsWith("../src/main/resources/prometheus/ruvector-rules.yml:/etc/prometheus/ruvector-rules.yml"));
        assertThat(DEPLOY.resolve("../src/main/resources/prometheus/ruvector-rules.yml")).exists();
    }

    @Test
    void kubernetesManifestsCommandsRunAndAgree() throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (java.io.Reader reader = Files.newBufferedReader(DEPLOY.resolve("kubernetes/ruvector.yaml"))) {
            new org.yaml.snakeyaml.Yaml().loadAll(reader).forEach(d -> docs.add(JSON.valueToTree(d)));
        }
        Map<String, JsonNode> byKindName = new HashMap<>();
        docs.forEach(d -> byKindName.put(d.get("kind").asText() + "/" + d.at("/metadata/name").asText(), d));
        JsonNode index = byKindName.get("StatefulSet/ruvector-index");
        assertThat(index).isNotNull();
        String headless = index.at("/spec/serviceName").asText();
        assertThat(byKindName.get("Service/" + headless).at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(index.at("/spec/volumeClaimTemplates/0/metadata/name").asText())
                .isEqualTo(index.at("/spec/template/spec/containers/0/volumeMounts/0/name").asText());

        int workloads = 0;
        for (JsonNode doc : docs) {
            if (!Set.of("StatefulSet", "Deployment").contains(doc.get("kind").asText())) {
                continue;
            }
            JsonNode container = doc.at("/spec/template/spec/containers/0");
            List<String> args = substituteEnv(strings(container.get("args")));
            RuntimeConfig config = runConfig(args, doc.at("/metadata/name").asText());
            Map<String, String> flags = flags(args);
            assertThat(container.at("/ports/0/containerPort").asText()).isEqualTo(flags.get("--http-port"));
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
            assertThat(container.at("/volumeMounts/0/mountPath").isMissingNode()
                    || container.at("/volumeMounts/0/mountPath").asText().equals(flags.get("--data-dir"))).isTrue();
            if (config.runsIndex()) {
                assertThat(flags.get("--advertised-host")).as("application.server from the headless service")
                        .endsWith("." + headless + ".ruvector.svc.cluster.local");
                assertThat(flags.get("--k8s-statefulset")).isEqualTo("ruvector/" + index.at("/metadata/name").asText());
            }
            workloads++;
        }
        assertThat(workloads).isEqualTo(3);
    }

    @Test
    void dashboardQueriesOnlyExportedMeters() throws IOException {
        JsonNode dashboard = JSON.readTree(DEPLOY.resolve("grafana/dashboards/ruvector.json").toFile());
        String metricsDoc = Files.readString(Path.of("../docs/metrics.md"));
        Pattern meter = Pattern.compile("ruvector_[a-z0-9_]+");
        int queries = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = meter.matcher(target.get("expr").asText());
                assertThat(m.find()).as("panel %s queries a RuVector meter", panel.get("title")).isTrue();
                do {
                    String name = m.group().replaceAll("_(bucket|count|sum)$", "");
                    assertThat(metricsDoc).as("meter %s (docs/metrics.md)", m.group()).contains(name);
                } while (m.find());
                queries++;
            }
        }
        assertThat(queries).isGreaterThanOrEqualTo(10);
        JsonNode provisioning = yaml(DEPLOY.resolve("grafana/provisioning/dashboards/ruvector.yml"));
        JsonNode compose = yaml(DEPLOY.resolve("docker-compose.yml"));
        assertThat(strings(compose.at("/services/grafana/volumes")))
                .contains("./grafana/dashboards:" + provisioning.at("/providers/0/options/path").asText() + ":ro");
    }

    @Test
    void exampleConnectorIsWhatConnectConfigPrints() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            int exit = RuvectorCli.commandLine().execute("connect-config", "--pg",
                    "postgresql://ruvector:ruvector@postgres:5432/ruvector", "--table", "public.items", "--replication-factor", "3");
            assertThat(exit).isZero();
        } finally {
            System.setOut(previous);
        }
        assertThat(JSON.readTree(out.toString(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(JSON.readTree(DEPLOY.resolve("connect/ruvector-default.json").toFile()));
    }

    /** Parses {@code args} as the CLI does and builds the runtime configuration the run command would start. */
    private static RuntimeConfig runConfig(List<String> args, String where) {
        CommandLine.ParseResult parsed = RuvectorCli.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand()).as("%s runs a subcommand", where).isNotNull();
        Object command = parsed.subcommand().commandSpec().userObject();
        assertThat(command).as("%s runs `run`", where).isInstanceOf(RunCommand.class);
        return ((RunCommand) command).options.config();
    }

    private static Map<String, String> flags(List<String> args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).startsWith("--") && !args.get(i + 1).startsWith("--")) {
                flags.put(args.get(i), args.get(i + 1));
            }
        }
        return flags;
    }

    /** Kubernetes expands {@code $(VAR)} from the container's env: stand-ins of the right shape. */
    private static List<String> substituteEnv(List<String> args) {
        Map<String, String> env = Map.of("KAFKA", "kafka-0.kafka:9092,kafka-1.kafka:9092", "POSTGRES",
                "postgresql://ruvector:secret@postgres:5432/ruvector", "POD_NAME", "ruvector-index-0");
        return args.stream().map(a -> {
            String out = a;
            for (Map.Entry<String, String> e : env.entrySet()) {
                out = out.replace("$(" + e.getKey() + ")", e.getValue());
            }
            assertThat(out).as("every $(VAR) in %s has a stand-in", a).doesNotContain("$(");
            return out;
        }).toList();
    }

    /**
     * Reads YAML as docker compose and kubectl do: anchors, aliases and merge keys ({@code <<:
     * *anchor}) resolved (SnakeYAML; Jackson's YAML tree leaves an alias as its anchor's name).
     */
    private static JsonNode yaml(Path file) throws IOException {
        try (java.io.Reader reader = Files.newBufferedReader(file)) {
            return JSON.valueToTree(new org.yaml.snakeyaml.Yaml().load(reader));
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
