package dev.couponhub.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the servers the devstack runs as child processes (Elasticsearch, Zipkin) share: waiting until they answer. */
final class ChildProcesses {

    private static final Logger log = LoggerFactory.getLogger(ChildProcesses.class);
    private static final int LOG_TAIL_LINES = 30;

    private ChildProcesses() {
    }

    /**
     * Waits until {@code GET url} answers 200, polling every 250 ms for at most {@code timeout}; fails with the end of
     * the server's console log when the process exits first or the time is up, and stops when {@code cancelled}.
     */
    static void awaitHttpOk(String name, Process process, String url, Duration requestTimeout, Duration timeout,
                            Path consoleLog, BooleanSupplier cancelled) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (cancelled.getAsBoolean()) {
                throw new StartCancelledException(name + " start cancelled: the devstack is closing or another "
                        + "component failed to start");
            }
            if (!process.isAlive()) {
                throw new DevstackException(name + " exited with code " + process.exitValue()
                        + " while starting. Last lines of " + consoleLog + ":\n" + tail(consoleLog));
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                log.debug("{} not ready yet: {}", name, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevstackException("Interrupted while waiting for " + name, e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevstackException("Interrupted while waiting for " + name, e);
            }
        }
        throw new DevstackException(name + " did not become healthy within " + timeout.toSeconds()
                + " s. Last lines of " + consoleLog + ":\n" + tail(consoleLog));
    }

    /** The last lines of a console log, for an error message. */
    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }
}
