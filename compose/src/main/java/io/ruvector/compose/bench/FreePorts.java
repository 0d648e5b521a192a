package io.ruvector.compose.bench;

import java.io.IOException;
import java.net.ServerSocket;

/** A port free on this machine now, for a child runtime a benchmark starts. */
final class FreePorts {

    private FreePorts() {
    }

    static int next() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
