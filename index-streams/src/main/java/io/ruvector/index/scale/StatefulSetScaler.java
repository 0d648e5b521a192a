package io.ruvector.index.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Scales the index StatefulSet through the Kubernetes API, once per command however many index
 * instances execute it. Every instance's executor receives a {@code scale_replicas} command, so
 * the change is made idempotent on the StatefulSet itself: a {@code GET}, then a JSON merge
 * patch of {@code spec.replicas} that records the command id in the annotation
 * {@value #LAST_COMMAND} and carries the {@code resourceVersion} it read (the API server answers
 * 409 when another instance patched in between; the loser re-reads and finds the command applied).
 * Rollback restores the replicas recorded in {@value #REPLICAS_BEFORE} when the command is still
 * the last one. The token is re-read per call (Kubernetes rotates projected tokens). Thread-safe.
 */
public final class StatefulSetScaler {

    /** Annotation: the id of the last scale_replicas command applied to the StatefulSet. */
    public static final String LAST_COMMAND = "ruvector.io/scale-command";
    /** Annotation: the replicas before that command. */
    public static final String REPLICAS_BEFORE = "ruvector.io/scale-replicas-before";
    /** Annotation: the id of the last command rolled back. */
    public static final String ROLLED_BACK = "ruvector.io/scale-rolled-back";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int CONFLICT = 409;
    private static final int ATTEMPTS = 3;

    /** What a scale or its rollback did: the replicas before and after, and whether this call changed them. */
    public record Scaled(int before, int after, boolean changed) {
    }

    private final KubernetesTarget target;
    private final HttpClient client;

    public StatefulSetScaler(KubernetesTarget target) {
        this.target = Objects.requireNonNull(target, "target");
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).sslContext(sslContext(target)).build();
    }

    public KubernetesTarget target() {
        return target;
    }

    /** The StatefulSet's desired replicas. */
    public int replicas() throws IOException, InterruptedException {
        return specReplicas(get());
    }

    /**
     * Adds {@code delta} replicas (at most up to {@code max}) for command {@code commandId}; a
     * command already applied (by this or another instance) changes nothing.
     */
    public Scaled scaleUp(String commandId, int delta, int max) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            JsonNode set = get();
            int current = specReplicas(set);
            JsonNode annotations = set.path("metadata").path("annotations");
            if (commandId.equals(annotations.path(LAST_COMMAND).asText(null))) {
                int before = annotations.path(REPLICAS_BEFORE).asInt(current);
                return new Scaled(before, current, false);
            }
            int wanted = Math.min(max, current + delta);
            ObjectNode patch = patch(set, wanted);
            ((ObjectNode) patch.path("metadata")).putObject("annotations").put(LAST_COMMAND, commandId)
                    .put(REPLICAS_BEFORE, Integer.toString(current));
            HttpResponse<String> answer = send(request().header("Content-Type", "application/merge-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(patch))));
            if (answer.statusCode() == CONFLICT && attempt < ATTEMPTS) {
                continue; // changed meanwhile, perhaps by another instance with this very command: read again
            }
            return new Scaled(current, specReplicas(body(answer)), true);
        }
    }

    /** Restores the replicas from before {@code commandId} when it is still the StatefulSet's last scale command. */
    public Scaled rollBack(String commandId) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            JsonNode set = get();
            int current = specReplicas(set);
            JsonNode annotations = set.path("metadata").path("annotations");
            if (commandId.equals(annotations.path(ROLLED_BACK).asText(null))) {
                return new Scaled(current, current, false);
            }
            if (!commandId.equals(annotations.path(LAST_COMMAND).asText(null))) {
                throw new IOException("nothing to roll back: the StatefulSet's last scale command is "
                        + annotations.path(LAST_COMMAND).asText("none") + ", not " + commandId);
            }
            int before = annotations.path(REPLICAS_BEFORE).asInt(current);
            ObjectNode patch = patch(set, before);
            ((ObjectNode) patch.path("metadata")).putObject("annotations").put(ROLLED_BACK, commandId);
            HttpResponse<String> answer = send(request().header("Content-Type", "application/merge-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(patch))));
            if (answer.statusCode() == CONFLICT && attempt < ATTEMPTS) {
                continue;
            }
            return new Scaled(current, specReplicas(body(answer)), true);
        }
    }

    /** A merge patch of {@code spec.replicas}, conditional on the resource version read. */
    private static ObjectNode patch(JsonNode set, int replicas) {
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("metadata").put("resourceVersion", set.path("metadata").path("resourceVersion").asText());
        patch.putObject("spec").put("replicas", replicas);
        return patch;
    }

    private JsonNode get() throws IOException, InterruptedException {
        return body(send(request().GET()));
    }

    private HttpRequest.Builder request() throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.statefulSetUri()).timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (target.tokenFile() != null) {
            request.header("Authorization", "Bearer " + Files.readString(target.tokenFile()).strip());
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer's JSON; an error status becomes an exception naming the API server's message (RBAC, not found). */
    private JsonNode body(HttpResponse<String> response) throws IOException {
        if (response.statusCode() / 100 != 2) {
            String message = response.body();
            try {
                message = JSON.readTree(response.body()).path("message").asText(message);
            } catch (IOException notJson) {
                // keep the raw body
            }
            throw new IOException("kubernetes " + response.request().method() + " " + target.statefulSetUri()
                    + " answered " + response.statusCode() + ": " + message);
        }
        return JSON.readTree(response.body());
    }

    private static int specReplicas(JsonNode set) throws IOException {
        JsonNode replicas = set.path("spec").path("replicas");
        if (!replicas.canConvertToInt()) {
            throw new IOException("kubernetes answer has no spec.replicas");
        }
        return replicas.asInt();
    }

    /** The JVM's trust store, or one holding only the target's CA certificate. */
    private static SSLContext sslContext(KubernetesTarget target) {
        try {
            if (target.caCertFile() == null) {
                return SSLContext.getDefault();
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream pem = Files.newInputStream(target.caCertFile())) {
                int i = 0;
                for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                    trust.setCertificateEntry("kubernetes-ca-" + i++, cert);
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("kubernetes CA certificate " + target.caCertFile() + " is unusable: " + e, e);
        }
    }
}
