package io.ruvector.compose.cli;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./ruvector tiers COLLECTION}: the collection's tier report; with hours, sets the tier
 * policy (the migration guide's {@code ruvector_set_tiers(name, 24, 168, 720)}); {@code --off}
 * removes it. Over the runtime's HTTP API; exit 0 when accepted, 1 when refused.
 */
@Command(name = "tiers", mixinStandardHelpOptions = true,
        description = "Show a collection's tiers, or set (--hot-hours, --warm-hours, --cold-hours) or remove (--off) its policy.")
final class TiersCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "COLLECTION", description = "the collection")
    String collection;

    @Option(names = "--hot-hours", description = "idle hours after which a row goes to int8 codes (default 24 when setting)")
    Double hotHours;

    @Option(names = "--warm-hours", description = "idle hours from which a row counts as cool (default 168 when setting)")
    Double warmHours;

    @Option(names = "--cold-hours", description = "idle hours from which a row counts as cold (default 720 when setting)")
    Double coldHours;

    @Option(names = "--set", description = "set the policy with the defaults for the hours not given")
    boolean set;

    @Option(names = "--off", description = "remove the tier policy (rows then move only by evict_cold_data)")
    boolean off;

    @CommandLine.Mixin
    HttpOption http;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RuntimeApi api = new RuntimeApi(spec, http.url);
        String path = "/v1/collections/" + URLEncoder.encode(collection, StandardCharsets.UTF_8) + "/tiers";
        boolean setting = set || hotHours != null || warmHours != null || coldHours != null;
        if (setting && off) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--off cannot be combined with hours or --set");
        }
        HttpRequest.Builder request;
        if (off) {
            request = api.delete(path);
        } else if (setting) {
            Map<String, Double> body = new LinkedHashMap<>();
            put(body, "hot_hours", hotHours);
            put(body, "warm_hours", warmHours);
            put(body, "cold_hours", coldHours);
            request = api.put(path, body);
        } else {
            request = api.get(path);
        }
        return api.send(request, System.out, "ruvector tiers " + collection);
    }

    private static void put(Map<String, Double> body, String name, Double hours) {
        if (hours != null) {
            body.put(name, hours);
        }
    }
}
