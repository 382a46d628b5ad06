package dev.couponhub.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Zipkin, the trace server the services send their spans to ({@code management.zipkin.tracing.endpoint}, by default
 * {@code http://localhost:9411/api/v2/spans}) and whose UI shows them ({@code /zipkin/}). Run as a child JVM from
 * the {@code io.zipkin:zipkin-server} exec jar Maven copies beside the build, with in-memory storage (at most
 * {@value #MAX_SPANS} spans, the oldest traces dropped first) so that it needs no database and a restart forgets
 * everything; its console goes to {@code <dataDir>/logs/zipkin.log}.
 */
final class ZipkinServer implements ManagedServer {

    static final int MAX_SPANS = 200_000;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final long STOP_GRACE_MILLIS = 15_000;

    private final int port;
    private final Process process;

    private ZipkinServer(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static ZipkinServer start(Path jar, Path dataDir, int port, BooleanSupplier cancelled) {
        if (!Files.isRegularFile(jar)) {
            throw new DevstackException("Zipkin server jar not found at " + jar
                    + ". Build the devstack module (./mvnw -o -B -pl devstack package) or set -D"
                    + BuildSettings.ZIPKIN_JAR_PROPERTY + "=<path to zipkin-server-x.y.z-exec.jar>");
        }
        Path consoleLog = dataDir.resolve("logs").resolve("zipkin.log");
        try {
            Files.createDirectories(consoleLog.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + consoleLog.getParent(), e);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // a small heap: 200,000 spans of the services take about 100 MB. The data directory on the command line marks
        // the process as the devstack's, like Elasticsearch's and MariaDB's: ./couponhub's safety net finds it there
        // should the devstack JVM die without stopping it
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-Xms32m", "-Xmx256m",
                "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Dcouponhub.devstack.data-dir=" + dataDir,
                "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()));
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        builder.environment().put("QUERY_PORT", String.valueOf(port));
        builder.environment().put("STORAGE_TYPE", "mem");
        builder.environment().put("MEM_MAX_SPANS", String.valueOf(MAX_SPANS));
        // listen on the devstack's address only, like every other component
        builder.environment().put("ARMERIA_PORTS_0_IP", Ports.HOST);
        builder.environment().put("ARMERIA_PORTS_0_PORT", String.valueOf(port));
        builder.environment().put("ARMERIA_PORTS_0_PROTOCOLS_0", "http");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new DevstackException("Cannot run " + java + " to start Zipkin: " + e.getMessage(), e);
        }
        ZipkinServer server = new ZipkinServer(port, process);
        try {
            server.awaitHealthy(consoleLog, cancelled);
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    int port() {
        return port;
    }

    /** The server's root, {@code http://127.0.0.1:<port>}: the UI is under {@code /zipkin/}, the API under {@code /api/v2}. */
    String url() {
        return "http://" + Ports.HOST + ":" + port;
    }

    @Override
    public void stop() {
        Os.destroyTree(process.toHandle(), STOP_GRACE_MILLIS);
    }

    private void awaitHealthy(Path consoleLog, BooleanSupplier cancelled) {
        ChildProcesses.awaitHttpOk("Zipkin", process, url() + "/health", Duration.ofSeconds(5), START_TIMEOUT,
                consoleLog, cancelled);
    }
}
