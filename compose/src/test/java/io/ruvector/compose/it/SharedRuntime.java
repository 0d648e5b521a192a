package io.ruvector.compose.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Base of integration test classes whose tests share one runtime (each test uses its own tables). */
abstract class SharedRuntime {

    @TempDir
    static Path dataDir;
    static RuntimeFixture fixture;

    @BeforeAll
    static void startRuntime() throws Exception {
        fixture = new RuntimeFixture(dataDir).start();
    }

    @AfterAll
    static void stopRuntime() throws Exception {
        fixture.close();
    }
}
