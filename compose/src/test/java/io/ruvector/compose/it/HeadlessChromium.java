package io.ruvector.compose.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, loading a page of a running runtime: the DOM after the page's
 * scripts ran (virtual time lets its fetches finish), and a screenshot kept as a test artefact.
 */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /** The serialised DOM of {@code url} once its scripts and fetches have run. */
    static String dom(String url) throws Exception {
        return run(url, "--dump-dom").stdout();
    }

    /** Saves a screenshot of {@code url} to {@code file} (the directory must exist). */
    static void screenshot(String url, Path file) throws Exception {
        Result result = run(url, "--screenshot=" + file.toAbsolutePath(), "--window-size=1400,1900");
        if (!Files.exists(file)) {
            throw new AssertionError("chromium wrote no screenshot: " + result.stdout());
        }
    }

    private record Result(String stdout) {
    }

    private static Result run(String url, String... mode) throws Exception {
        String binary = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : "chromium";
        List<String> command = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--virtual-time-budget=10000"));
        command.addAll(List.of(mode));
        command.add(url);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("chromium is not installed (./ruvector test installs Debian's chromium): " + e.getMessage());
        }
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s on " + url);
        }
        return new Result(new String(out, StandardCharsets.UTF_8));
    }
}
