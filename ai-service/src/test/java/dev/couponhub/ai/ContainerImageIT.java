package dev.couponhub.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.couponhub.testsupport.ContainerImage;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image Jib built into {@code target/jib-image.tar} during {@code pre-integration-test} (on the offline base of
 * {@code deploy/image/build-base-image.sh}): its configuration is what the deployments expect, and it runs. The
 * layers are unpacked into a directory and the entrypoint is started there with chroot, as the image's user,
 * in its own PID and mount namespace ({@link ContainerImage}); the image's own health check command must then report
 * it healthy.
 */
class ContainerImageIT {

    private static final Path TARGET = Path.of("target").toAbsolutePath();

    private static ContainerImage image;

    @BeforeAll
    static void unpack() throws Exception {
        Path tar = TARGET.resolve("jib-image.tar");
        assertThat(tar).as("the image tar Jib builds in pre-integration-test").isRegularFile();
        image = ContainerImage.unpack(tar, TARGET);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (image != null) {
            image.close();
        }
    }

    @Test
    void imageRunsAsNonRootUserWithContainerMemoryFlagsAndItsPort() {
        assertThat(image.user()).isEqualTo("10001:10001");
        List<String> entrypoint = image.entrypoint();
        assertThat(entrypoint).first().isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError",
                "dev.couponhub.ai.AiServiceApplication");
        assertThat(image.containerConfig().get("ExposedPorts").has("8086/tcp")).isTrue();
    }

    @Test
    void layersSeparateDependenciesFromTheApplication() {
        assertThat(image.historyComments()).contains("dependencies", "resources", "classes", "extra files");
        assertThat(image.rootfs().resolve("app/classes/dev/couponhub/ai/AiServiceApplication.class")).isRegularFile();
    }

    @Test
    void healthCheckCommandIsInTheImageAndExecutable() throws IOException {
        Path healthcheck = image.rootfs().resolve("opt/couponhub/bin/healthcheck");
        assertThat(healthcheck).isRegularFile();
        assertThat(Files.getPosixFilePermissions(healthcheck)).contains(PosixFilePermission.OTHERS_EXECUTE);
    }

    @Test
    void entrypointStartsTheServiceAndTheHealthCheckSeesItUp() throws Exception {
        int port = freePort();
        Process service = image.entrypoint(List.of(), Map.of(
                        "SERVER_PORT", Integer.toString(port),
                        "JAVA_TOOL_OPTIONS", "-Xmx256m"))
                .redirectErrorStream(true)
                .redirectOutput(TARGET.resolve("container-image-it.log").toFile())
                .start();
        try {
            assertThat(waitUntilHealthy(service, port))
                    .as("the image's health check reports the service up (log: target/container-image-it.log)")
                    .isTrue();

            Optional<ProcessHandle> java = service.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .findFirst();
            assertThat(java).as("the JVM runs from the image's runtime").isPresent();
            if (ContainerImage.runningAsRoot()) {
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
        Process check = image.command(List.of("/opt/couponhub/bin/healthcheck", Integer.toString(port),
                        "/actuator/health/readiness"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!check.waitFor(20, TimeUnit.SECONDS)) {
            check.destroyForcibly();
            return -1;
        }
        return check.exitValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
