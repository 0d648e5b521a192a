package io.ruvector.compose.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine;

/**
 * A command's call to the running runtime's HTTP API: sends JSON, prints the answer as indented
 * JSON, and returns the exit code (0 accepted, 1 refused, with the API's message on stderr).
 */
final class RuntimeApi {

    private final ObjectMapper json = new ObjectMapper();
    private final CommandLine.Model.CommandSpec spec;
    private final String http;

    RuntimeApi(CommandLine.Model.CommandSpec spec, String http) {
        this.spec = spec;
        this.http = http;
    }

    HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    HttpRequest.Builder post(String path, Object body) throws IOException {
        return HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    }

    HttpRequest.Builder put(String path, Object body) throws IOException {
        return HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    }

    HttpRequest.Builder delete(String path) {
        return HttpRequest.newBuilder(uri(path)).DELETE();
    }

    /** Sends {@code request}; {@code what} names the command in an error line ("ruvector heal status"). */
    int send(HttpRequest.Builder request, PrintStream out, String what) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(request.timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot reach the runtime at " + http
                    + " (is ./ruvector run or demo running? --http names its API)");
        }
        JsonNode body = response.body().isBlank() ? null : json.readTree(response.body());
        out.println(body == null ? "" : json.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        if (response.statusCode() >= 300) {
            spec.commandLine().getErr().println(what + ": HTTP " + response.statusCode() + " "
                    + (body == null ? "" : body.path("detail").asText()));
            return 1;
        }
        return 0;
    }

    private URI uri(String path) {
        return URI.create(http + path);
    }
}
