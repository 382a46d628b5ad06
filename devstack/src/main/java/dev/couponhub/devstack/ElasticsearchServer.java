package dev.couponhub.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch run as a child process from the unpacked distribution (its {@code bin/elasticsearch} launcher starts
 * the server JVM as its own child). Everything it writes lives in {@code <dataDir>/elasticsearch}: a copy of the
 * configuration, the data, its logs and its temporary files; its console goes to
 * {@code <dataDir>/logs/elasticsearch.log}.
 *
 * <p>Elasticsearch refuses to run as root. When the devstack runs as root, those directories are given to the
 * unprivileged user 65534 (nobody) and the launcher is started through {@code setpriv} as that user; the directories
 * above the distribution and the data directory are made traversable for it.
 */
final class ElasticsearchServer implements ManagedServer {

    private static final Logger log = LoggerFactory.getLogger(ElasticsearchServer.class);

    private static final int UNPRIVILEGED_ID = 65_534;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final long STOP_GRACE_MILLIS = 30_000;

    private final int httpPort;
    private final Process process;

    private ElasticsearchServer(int httpPort, Process process) {
        this.httpPort = httpPort;
        this.process = process;
    }

    static ElasticsearchServer start(Path home, Path dataDir, int httpPort, int transportPort,
                                     BooleanSupplier cancelled) {
        Path launcher = home.resolve("bin").resolve("elasticsearch");
        if (!Files.isRegularFile(launcher)) {
            throw new DevstackException("Elasticsearch distribution not found at " + home
                    + ". Build the devstack module (./mvnw -o -B -pl devstack package) or set -D"
                    + BuildSettings.ELASTICSEARCH_HOME_PROPERTY + "=<unpacked elasticsearch-x.y.z>");
        }
        Path esDir = dataDir.resolve("elasticsearch");
        Path config = esDir.resolve("config");
        Path data = esDir.resolve("data");
        Path logs = esDir.resolve("logs");
        Path tmp = esDir.resolve("tmp");
        Path consoleLog = dataDir.resolve("logs").resolve("elasticsearch.log");
        boolean root = Os.isRoot();
        try {
            copyConfiguration(home.resolve("config"), config);
            Files.createDirectories(data);
            Files.createDirectories(logs);
            Files.createDirectories(tmp);
            Files.createDirectories(consoleLog.getParent());
            if (root) {
                Os.chownTree(esDir, UNPRIVILEGED_ID, UNPRIVILEGED_ID);
                List<Path> opened = new ArrayList<>(Os.makeTraversable(home));
                opened.addAll(Os.makeTraversable(esDir));
                if (!opened.isEmpty()) {
                    log.info("Made {} traversable for Elasticsearch's unprivileged user", opened);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + esDir, e);
        }

        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_ID, "--regid=" + UNPRIVILEGED_ID,
                    "--clear-groups"));
        }
        if (!Files.isExecutable(launcher)) {
            command.add("bash");
        }
        command.add(launcher.toString());
        setting(command, "cluster.name", "couponhub-devstack");
        setting(command, "node.name", "devstack");
        setting(command, "path.data", data.toString());
        setting(command, "path.logs", logs.toString());
        setting(command, "network.host", Ports.HOST);
        setting(command, "http.port", String.valueOf(httpPort));
        setting(command, "transport.port", String.valueOf(transportPort));
        setting(command, "discovery.type", "single-node");
        setting(command, "xpack.security.enabled", "false");
        setting(command, "xpack.ml.enabled", "false");
        setting(command, "cluster.routing.allocation.disk.threshold_enabled", "false");

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(esDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()));
        builder.environment().put("ES_JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("ES_JAVA_OPTS", "-Xms256m -Xmx256m");
        builder.environment().put("ES_PATH_CONF", config.toString());
        builder.environment().put("ES_TMPDIR", tmp.toString());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");

        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new DevstackException("Cannot run " + command.get(0) + " to start Elasticsearch: "
                    + e.getMessage(), e);
        }
        ElasticsearchServer server = new ElasticsearchServer(httpPort, process);
        try {
            server.awaitHealthy(consoleLog, cancelled);
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    int port() {
        return httpPort;
    }

    String url() {
        return "http://" + Ports.HOST + ":" + httpPort;
    }

    /** The launcher process; the server JVM is its child. */
    ProcessHandle processHandle() {
        return process.toHandle();
    }

    @Override
    public void stop() {
        if (!Os.destroyTree(process.toHandle(), STOP_GRACE_MILLIS)) {
            log.warn("Some Elasticsearch processes did not exit");
        }
    }

    /** Readiness: cluster health at least yellow ({@code GET /} answers 405 in this distribution). */
    private void awaitHealthy(Path consoleLog, BooleanSupplier cancelled) {
        ChildProcesses.awaitHttpOk("Elasticsearch", process,
                url() + "/_cluster/health?wait_for_status=yellow&timeout=5s", Duration.ofSeconds(10), START_TIMEOUT,
                consoleLog, cancelled);
    }

    /** Copies the distribution's configuration (files it ships win; files Elasticsearch created are kept). */
    private static void copyConfiguration(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void setting(List<String> command, String name, String value) {
        command.add("-E");
        command.add(name + "=" + value);
    }
}
