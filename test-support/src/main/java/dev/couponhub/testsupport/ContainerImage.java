package dev.couponhub.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A container image that Jib wrote as a tar ({@code jib:buildTar}, {@code docker save} layout), unpacked into a
 * directory so that a test can read its configuration and run it without a container engine: the entrypoint is
 * started there with chroot, as the image's user (when the test runs as root; otherwise as root of a user namespace),
 * in its own PID and mount namespace, with the image's environment only. It shares the host's network, so the service
 * reaches the test devstack on 127.0.0.1 and the test reaches the service on the ports it is told to use. Used by the
 * ContainerImageITs; {@link ServiceImageAssertions} holds what every service image must satisfy.
 */
public final class ContainerImage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean ROOT = "0".equals(uid());

    private final Path work;
    private final Path rootfs;
    private final JsonNode config;

    private ContainerImage(Path work, Path rootfs, JsonNode config) {
        this.work = work;
        this.rootfs = rootfs;
        this.config = config;
    }

    /** Unpacks {@code tar}'s layers, in order, into a new directory under {@code parent}. */
    public static ContainerImage unpack(Path tar, Path parent) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(parent, "image-it");
        Path image = Files.createDirectories(work.resolve("image"));
        Path rootfs = Files.createDirectories(work.resolve("rootfs"));
        run(List.of("tar", "-xf", tar.toString(), "-C", image.toString()));
        JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        JsonNode config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile());
        for (JsonNode layer : manifest.get("Layers")) {
            run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", image.resolve(layer.asText()).toString(),
                    "-C", rootfs.toString()));
        }
        return new ContainerImage(work, rootfs, config);
    }

    /** Whether the tests run as root: then the entrypoint runs as the image's user, which a test can check. */
    public static boolean runningAsRoot() {
        return ROOT;
    }

    /** The image's file system. */
    public Path rootfs() {
        return rootfs;
    }

    /** The image configuration's {@code config} object (User, Entrypoint, Env, ExposedPorts, ...). */
    public JsonNode containerConfig() {
        return config.get("config");
    }

    public String user() {
        return containerConfig().get("User").asText();
    }

    public List<String> entrypoint() {
        return strings(containerConfig().get("Entrypoint"));
    }

    /** The comments of the image's history: Jib names its layers (dependencies, resources, classes, ...). */
    public List<String> historyComments() {
        List<String> comments = new ArrayList<>();
        config.get("history").forEach(h -> comments.add(h.path("comment").asText()));
        return comments;
    }

    /**
     * The entrypoint followed by {@code args}, in the image's file system, with the image's environment plus
     * {@code env}. The caller starts it and redirects its output.
     */
    public ProcessBuilder entrypoint(List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/unshare"));
        if (!ROOT) {
            command.add("--map-root-user");
        }
        command.addAll(List.of("--mount", "--pid", "--fork", "--mount-proc=" + rootfs.resolve("proc"),
                "/usr/sbin/chroot"));
        if (ROOT) {
            command.add("--userspec=" + user());
        }
        command.add(rootfs.toString());
        command.addAll(entrypoint());
        command.addAll(args);

        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.putAll(imageEnvironment());
        environment.putAll(env);
        return builder;
    }

    /**
     * Starts the entrypoint as a long-running service with the image's environment plus {@code env} (as a deployment
     * gives it), its output going to {@code log}. Close the answer to stop it.
     */
    public Service start(Map<String, String> env, Path log) throws IOException {
        return new Service(entrypoint(List.of(), env).redirectErrorStream(true).redirectOutput(log.toFile()).start(),
                log);
    }

    /**
     * Runs the image's own health check command, {@code /opt/couponhub/bin/healthcheck <port> <path>}, in its file
     * system, as compose and ECS run it: 0 when the service at {@code port} answers 200 with status UP.
     */
    public int healthcheck(int port, String path) throws IOException, InterruptedException {
        Process check = command(List.of("/opt/couponhub/bin/healthcheck", Integer.toString(port), path))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!check.waitFor(20, TimeUnit.SECONDS)) {
            check.destroyForcibly();
            return -1;
        }
        return check.exitValue();
    }

    /** A port of 127.0.0.1 that was free a moment ago, for a service or a port nothing listens on. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The image's entrypoint running as a service ({@link #start}). */
    public final class Service implements AutoCloseable {

        private final Process process;
        private final Path log;

        private Service(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        public Process process() {
            return process;
        }

        /**
         * Waits until the image's health check reports {@code path} of {@code port} up, for at most {@code timeout};
         * false when the time is up or the service ended first.
         */
        public boolean awaitHealthy(int port, String path, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                if (healthcheck(port, path) == 0) {
                    return true;
                }
                Thread.sleep(1000);
            }
            return false;
        }

        /** The JVM that runs the service, a descendant of the namespace and chroot helpers. */
        public Optional<ProcessHandle> java() {
            return process.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .findFirst();
        }

        /** The real user id of {@link #java()} (from /proc), empty when it cannot be read. */
        public Optional<String> javaUid() {
            try {
                String status = Files.readString(Path.of("/proc", Long.toString(java().orElseThrow().pid()), "status"));
                return status.lines().filter(line -> line.startsWith("Uid:")).findFirst()
                        .map(line -> line.split("\\s+")[1]);
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        /** What the service wrote so far. */
        public String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(log unreadable: " + e + ")";
            }
        }

        /** Stops the service (SIGTERM, as a container stop), waiting up to 30 s before killing it. */
        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A command of the image (e.g. its health check) run in its file system, without namespaces of its own. */
    public ProcessBuilder command(List<String> imageCommand) {
        List<String> command = new ArrayList<>(ROOT ? List.of() : List.of("/usr/bin/unshare", "--map-root-user"));
        command.addAll(List.of("/usr/sbin/chroot", rootfs.toString()));
        command.addAll(imageCommand);
        return new ProcessBuilder(command);
    }

    /** Deletes the unpacked image. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private Map<String, String> imageEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : strings(containerConfig().get("Env"))) {
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return env;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> values.add(v.asText()));
        }
        return values;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException(command + " failed: " + output);
        }
    }

    private static String uid() {
        try {
            Process id = new ProcessBuilder("id", "-u").start();
            return new String(id.getInputStream().readAllBytes()).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
