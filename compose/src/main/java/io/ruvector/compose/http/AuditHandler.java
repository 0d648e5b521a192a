package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.integrity.IntegrityService;

import java.io.IOException;
import java.util.Objects;

/** {@code GET /v1/audit/public-key}: the Ed25519 key that verifies this deployment's integrity events. */
final class AuditHandler {

    record PublicKeyView(String signerId, String algorithm, String format, String publicKey) {
    }

    private final EmbeddedRuntime runtime;

    AuditHandler(EmbeddedRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    void publicKey(HttpExchange exchange) throws IOException {
        IntegrityService integrity;
        try {
            integrity = runtime.integrity();
        } catch (io.ruvector.compose.runtime.PartStarting e) {
            throw ApiException.starting(e);
        } catch (IllegalStateException e) {
            throw new ApiException(503, "integrity_unavailable", e.getMessage(), e);
        }
        Exchanges.send(exchange, 200, new PublicKeyView(integrity.signerId(), "Ed25519", "X.509 DER, base64",
                integrity.publicKeyBase64()));
    }
}
