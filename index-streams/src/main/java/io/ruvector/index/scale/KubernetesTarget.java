package io.ruvector.index.scale;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where {@code scale_replicas} scales the index StatefulSet when the index runs on Kubernetes.
 * Inside a pod the defaults are the service account's: API server
 * {@code https://kubernetes.default.svc}, token and CA under
 * {@code /var/run/secrets/kubernetes.io/serviceaccount/}. The account needs {@code get} and
 * {@code patch} on {@code statefulsets} in the namespace.
 *
 * @param apiServer   the API server's base URI (http or https)
 * @param namespace   the StatefulSet's namespace
 * @param statefulSet the index StatefulSet's name
 * @param tokenFile   bearer token file, or null to send none (a local proxy such as {@code kubectl proxy})
 * @param caCertFile  PEM CA certificate the API server's TLS certificate chains to, or null for the JVM's trust store
 */
public record KubernetesTarget(URI apiServer, String namespace, String statefulSet, Path tokenFile, Path caCertFile) {

    /** The service account's files inside a pod. */
    public static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    public KubernetesTarget {
        Objects.requireNonNull(apiServer, "apiServer");
        if (!"http".equals(apiServer.getScheme()) && !"https".equals(apiServer.getScheme())) {
            throw new IllegalArgumentException("kubernetes api server must be an http(s) URI, was " + apiServer);
        }
        checkName(namespace, "kubernetes namespace");
        checkName(statefulSet, "kubernetes statefulset");
    }

    /** The in-cluster target: the service account's token and CA, the default API server. */
    public static KubernetesTarget inCluster(String namespace, String statefulSet) {
        return new KubernetesTarget(URI.create("https://kubernetes.default.svc"), namespace, statefulSet,
                SERVICE_ACCOUNT.resolve("token"), SERVICE_ACCOUNT.resolve("ca.crt"));
    }

    /** The StatefulSet's resource. */
    URI statefulSetUri() {
        String base = apiServer.toString().replaceAll("/+$", "");
        return URI.create(base + "/apis/apps/v1/namespaces/" + namespace + "/statefulsets/" + statefulSet);
    }

    /** A DNS-1123 label, as Kubernetes demands of namespaces and StatefulSet names. */
    private static void checkName(String value, String what) {
        if (value == null || !value.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException(what + " must be a DNS-1123 label (lower case, digits, '-'), was '"
                    + value + "'");
        }
    }
}
