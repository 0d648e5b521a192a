package io.ruvector.compose.cli;

import java.io.PrintStream;
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
 * {@code ./ruvector heal ACTION}: the healing engine over the runtime's HTTP API — status,
 * history, effectiveness, strategies, trigger, execute (with {@code --dry-run}), approve, abort,
 * rollback, configure. Prints the answer as JSON; exit 0 when the runtime accepted the request,
 * 1 when it answered with an error (the message names it).
 */
@Command(name = "heal", mixinStandardHelpOptions = true,
        description = "Watch and steer self-healing: status, history, effectiveness, strategies, trigger, execute, "
                + "approve, abort, rollback, configure.")
final class HealCommand implements Callable<Integer> {

    enum Action { status, history, effectiveness, strategies, trigger, execute, approve, abort, rollback, configure }

    @Parameters(index = "0", paramLabel = "ACTION", description = "${COMPLETION-CANDIDATES}")
    Action action;

    @Option(names = "--collection", description = "the collection (required except for effectiveness, strategies, "
            + "and status/configure of the whole deployment)")
    String collection;

    @Option(names = "--tenant", description = "one tenant of the collection")
    String tenant;

    @Option(names = "--strategy", description = "execute: the strategy to run")
    String strategy;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "execute: a strategy parameter (repeatable)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--set", paramLabel = "SETTING=VALUE", description = "configure: a setting, e.g. max_attempts_per_hour=3 (repeatable)")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--dry-run", description = "execute: describe the plan, change nothing")
    boolean dryRun;

    @Option(names = "--action-id", description = "approve, abort: the remediation's id (from status)")
    String actionId;

    @Option(names = "--limit", defaultValue = "20", description = "history: how many outcomes; default ${DEFAULT-VALUE}")
    int limit;

    @CommandLine.Mixin
    HttpOption http;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return run(System.out);
    }

    /** Sends the request and prints the answer to {@code out}; the exit code. */
    int run(PrintStream out) throws Exception {
        RuntimeApi api = new RuntimeApi(spec, http.url);
        String c = collection == null ? null : "/v1/collections/" + URLEncoder.encode(collection, StandardCharsets.UTF_8);
        String tenantQuery = tenant == null ? "" : "?tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8);
        HttpRequest.Builder request = switch (action) {
            case status -> api.get(c == null ? "/v1/healing" : c + "/healing" + tenantQuery);
            case history -> api.get(need(c) + "/healing/history" + (tenantQuery.isEmpty() ? "?" : tenantQuery + "&")
                    + "limit=" + limit);
            case effectiveness -> api.get("/v1/healing/effectiveness");
            case strategies -> api.get("/v1/healing/strategies");
            case trigger, rollback -> api.post(need(c) + "/healing/" + action + tenantQuery, Map.of());
            case execute -> {
                if (strategy == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "execute needs --strategy");
                }
                yield api.post(need(c) + "/healing/execute" + tenantQuery,
                        Map.of("strategy", strategy, "params", params, "dry_run", dryRun));
            }
            case approve, abort -> {
                if (actionId == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), action + " needs --action-id");
                }
                yield api.post(need(c) + "/healing/" + action + tenantQuery, Map.of("action_id", actionId));
            }
            case configure -> {
                if (settings.isEmpty()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "configure needs --set SETTING=VALUE");
                }
                yield api.put((c == null ? "/v1/healing" : c + "/healing") + "/config", settings);
            }
        };
        return api.send(request, out, "ruvector heal " + action);
    }

    private String need(String c) {
        if (c == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), action + " needs --collection");
        }
        return c;
    }
}
