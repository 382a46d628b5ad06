package dev.couponhub.ai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image Jib built into {@code target/jib-image.tar} during {@code pre-integration-test} (on the offline base of
 * {@code deploy/image/build-base-image.sh}): its configuration is what the deployments expect, and it runs. The
 * layers are unpacked into a directory and the entrypoint is started there with chroot, as the image's user,
 * in its own PID and mount namespace; the image's own health check command must then report it healthy.
 */
class ContainerImageIT {

    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean ROOT = "0".equals(uid());

    private static Path work;
    private static Path rootfs;
    private static JsonNode config;

    @BeforeAll
    static void unpack() throws Exception {
        Path tar = TARGET.resolve("jib-image.tar");
        assertThat(tar).as("the image tar Jib builds in pre-integration-test").isRegularFile();
        work = Files.createTempDirectory(TARGET, "image-it");
        Path image = Files.createDirectories(work.resolve("image"));
        rootfs = Files.createDirectories(work.resolve("rootfs"));
        run(List.of("tar", "-xf", tar.toString(), "-C", image.toString()));
        JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile());
        for (JsonNode layer : manifest.get("Layers")) {
            run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", image.resolve(layer.asText()).toString(),
                    "-C", rootfs.toString()));
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void imageRunsAsNonRootUserWithContainerMemoryFlagsAndItsPort() {
        JsonNode container = config.get("config");
        assertThat(container.get("User").asText()).isEqualTo("10001:10001");
        List<String> entrypoint = strings(container.get("Entrypoint"));
        assertThat(entrypoint).first().isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError",
                "dev.couponhub.ai.AiServiceApplication");
        assertThat(container.get("ExposedPorts").has("8086/tcp")).isTrue();
    }

    @Test
    void layersSeparateDependenciesFromTheApplication() {
        List<String> comments = new ArrayList<>();
        config.get("history").forEach(h -> comments.add(h.path("comment").asText()));
        assertThat(comments).contains("dependencies", "resources", "classes", "extra files");
        assertThat(rootfs.resolve("app/classes/dev/couponhub/ai/AiServiceApplication.class")).isRegularFile();
    }

    @Test
    void healthCheckCommandIsInTheImageAndExecutable() throws IOException {
        Path healthcheck = rootfs.resolve("opt/couponhub/bin/healthcheck");
        assertThat(healthcheck).isRegularFile();
        assertThat(Files.getPosixFilePermissions(healthcheck)).contains(PosixFilePermission.OTHERS_EXECUTE);
    }

    @Test
    void entrypointStartsTheServiceAndTheHealthCheckSeesItUp() throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("/usr/bin/unshare"));
        if (!ROOT) {
            command.add("--map-root-user");
        }
        command.addAll(List.of("--mount", "--pid", "--fork", "--mount-proc=" + rootfs.resolve("proc"),
                "/usr/sbin/chroot"));
        if (ROOT) {
            command.add("--userspec=" + config.get("config").get("User").asText());
        }
        command.add(rootfs.toString());
        command.addAll(strings(config.get("config").get("Entrypoint")));

        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(TARGET.resolve("container-image-it.log").toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        for (String entry : strings(config.get("config").get("Env"))) {
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("JAVA_TOOL_OPTIONS", "-Xmx256m");

        Process service = builder.start();
        try {
            assertThat(waitUntilHealthy(service, port))
                    .as("the image's health check reports the service up (log: target/container-image-it.log)")
                    .isTrue();

            Optional<ProcessHandle> java = service.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .findFirst();
            assertThat(java).as("the JVM runs from the image's runtime").isPresent();
            if (ROOT) {
                String status = Files.readString(Path.of("/proc", Long.toString(java.get().pid()), "status"));
                assertThat(status).containsPattern("(?m)^Uid:\\s+10001\\s");
            }

            HttpResponse<String> docs = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                            .timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(docs.statusCode()).isEqualTo(200);
            assertThat(docs.body()).contains("/api/v1/recommendations");

            int closed = freePort();
            assertThat(healthcheck(closed)).as("the health check fails when nothing answers").isNotZero();
        } finally {
            service.descendants().forEach(ProcessHandle::destroy);
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.descendants().forEach(ProcessHandle::destroyForcibly);
                service.destroyForcibly();
            }
        }
    }

    private static boolean waitUntilHealthy(Process service, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && service.isAlive()) {
            if (healthcheck(port) == 0) {
                return true;
            }
            Thread.sleep(1000);
        }
        return false;
    }

    /** Runs the image's health check command inside the image's file system. */
    private static int healthcheck(int port) throws Exception {
        List<String> command = new ArrayList<>(ROOT ? List.of() : List.of("/usr/bin/unshare", "--map-root-user"));
        command.addAll(List.of("/usr/sbin/chroot", rootfs.toString(), "/opt/couponhub/bin/healthcheck",
                Integer.toString(port), "/actuator/health/readiness"));
        Process check = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!check.waitFor(20, TimeUnit.SECONDS)) {
            check.destroyForcibly();
            return -1;
        }
        return check.exitValue();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("%s: %s", command, output).isZero();
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
