package dev.couponhub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every service image must be, checked by each service's ContainerImageIT on the image Jib built into
 * {@code target/jib-image.tar}: the configuration docker-compose.yml and the ECS task definitions rely on, and a start
 * of its entrypoint that the image's own health check sees ready.
 */
public final class ServiceImageAssertions {

    /** The image's user, numeric and not root. */
    public static final String USER = "10001:10001";
    /** The health check compose runs (ECS asks for liveness, which is up no later). */
    public static final String READINESS = "/actuator/health/readiness";
    /** The longest a service may take to become ready in a test JVM on a busy 2-core machine. */
    public static final Duration READY_WITHIN = Duration.ofMinutes(3);
    /** The test's memory limit for the service; C1 only, which starts a Spring Boot service faster on 2 cores. */
    public static final String JAVA_TOOL_OPTIONS = "-Xmx256m -XX:TieredStopAtLevel=1";

    private ServiceImageAssertions() {
    }

    /**
     * The image runs {@code mainClass} as {@link #USER} with the container memory flags, exposes exactly
     * {@code ports}, keeps dependencies, snapshot dependencies (service-kit, proto), resources and classes in layers
     * of their own, and carries the executable health check command.
     */
    public static void assertServiceImage(ContainerImage image, String mainClass, int... ports) throws IOException {
        assertThat(image.user()).isEqualTo(USER);
        List<String> entrypoint = image.entrypoint();
        assertThat(entrypoint).first().isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError")
                .last().isEqualTo(mainClass);

        List<String> exposed = new ArrayList<>();
        image.containerConfig().path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
        assertThat(exposed).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ports).mapToObj(port -> port + "/tcp").toList());

        // the project's own modules (service-kit, proto) in a layer apart from the third-party dependencies: "project
        // dependencies" when Jib runs in the whole reactor (./mvnw verify), "snapshot dependencies" when one module is
        // built against the local repository
        assertThat(image.historyComments())
                .contains("dependencies", "resources", "classes", "extra files")
                .containsAnyOf("project dependencies", "snapshot dependencies");
        assertThat(image.rootfs().resolve("app/classes/" + mainClass.replace('.', '/') + ".class")).isRegularFile();

        Path healthcheck = image.rootfs().resolve("opt/couponhub/bin/healthcheck");
        assertThat(healthcheck).isRegularFile();
        assertThat(Files.getPosixFilePermissions(healthcheck)).contains(PosixFilePermission.OTHERS_EXECUTE);
    }

    /**
     * Starts the image's entrypoint with {@code env} (plus {@link #JAVA_TOOL_OPTIONS} unless given), its output in
     * {@code log}, and asserts that the image's health check sees {@link #READINESS} up on {@code httpPort} within
     * {@link #READY_WITHIN}, that the JVM runs as the image's user (checked when the tests run as root; otherwise it is
     * root of a user namespace) and that the same check fails on a port where nothing answers. The caller closes the
     * answer; on a failed assertion the service is stopped here and its log's end is in the message.
     */
    public static ContainerImage.Service startReady(ContainerImage image, Map<String, String> env, int httpPort,
                                                    Path log) throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>(env);
        environment.putIfAbsent("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        ContainerImage.Service service = image.start(environment, log);
        try {
            if (!service.awaitHealthy(httpPort, READINESS, READY_WITHIN)) {
                fail("the image's health check did not see the service ready within " + READY_WITHIN
                        + (service.process().isAlive() ? "" : " (it ended with " + service.process().exitValue() + ")")
                        + "; the end of its log (" + log + "):\n" + tail(service.log()));
            }
            assertThat(service.java()).as("the JVM runs from the image's runtime").isPresent();
            if (ContainerImage.runningAsRoot()) {
                assertThat(service.javaUid()).as("the JVM's user").contains(USER.substring(0, USER.indexOf(':')));
            }
            assertThat(image.healthcheck(ContainerImage.freePort(), READINESS))
                    .as("the health check fails when nothing answers").isNotZero();
            return service;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            service.close();
            throw e;
        }
    }

    private static String tail(String log) {
        return log.length() <= 6000 ? log : "..." + log.substring(log.length() - 6000);
    }
}
