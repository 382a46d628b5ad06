package dev.couponhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.couponhub.testsupport.ContainerImage;
import dev.couponhub.testsupport.JibImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The image Jib built into {@code target/jib-image.tar} during {@code pre-integration-test} (on the offline base of
 * {@code deploy/image/build-base-image.sh}), as ECS runs it for a one-off task: the command is appended to the
 * entrypoint, and the exit code is the task's outcome (there is no health check). Run with chroot, as the image's
 * user, in its own PID and mount namespace ({@link ContainerImage}, shared with ai-service's ContainerImageIT).
 */
class ContainerImageIT {

    private static final Path TARGET = JibImage.TARGET;

    @RegisterExtension
    static final JibImage IMAGE = new JibImage();

    /** The task running now, if any. */
    private static volatile Process current;

    @Test
    void imageRunsAsNonRootUserWithTheTasksAsEntrypointAndNoPort() {
        assertThat(IMAGE.get().user()).isEqualTo("10001:10001");
        List<String> entrypoint = IMAGE.get().entrypoint();
        assertThat(entrypoint).first().isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError")
                .last().isEqualTo("dev.couponhub.ops.OpsTasksApplication");
        assertThat(IMAGE.get().containerConfig().path("ExposedPorts").isMissingNode()
                || IMAGE.get().containerConfig().path("ExposedPorts").isEmpty()).isTrue();
        assertThat(IMAGE.get().containerConfig().path("Cmd").isMissingNode()
                || IMAGE.get().containerConfig().path("Cmd").isNull() || IMAGE.get().containerConfig().path("Cmd").isEmpty())
                .as("no default command: the task definition names it").isTrue();
    }

    @Test
    void layersHoldTheApplicationTheDriverAndTheSecretsManagerClient() throws IOException {
        assertThat(IMAGE.get().historyComments()).contains("dependencies", "resources", "classes");
        assertThat(IMAGE.get().rootfs().resolve("app/classes/dev/couponhub/ops/OpsTasksApplication.class")).isRegularFile();
        try (var libs = Files.list(IMAGE.get().rootfs().resolve("app/libs"))) {
            assertThat(libs.map(p -> p.getFileName().toString()).toList())
                    .anyMatch(name -> name.startsWith("mysql-connector-j-"))
                    .anyMatch(name -> name.startsWith("secretsmanager-"));
        }
    }

    @Test
    void noCommandThenNonZeroExit() throws Exception {
        Run run = run(List.of(), Map.of());
        assertThat(run.exitCode()).as(run.log()).isEqualTo(2);
        assertThat(run.log()).contains("No command");
    }

    @Test
    void unknownCommandThenNonZeroExit() throws Exception {
        Run run = run(List.of("db-drop"), Map.of());
        assertThat(run.exitCode()).as(run.log()).isEqualTo(2);
        assertThat(run.log()).contains("Unknown command 'db-drop'");
    }

    @Test
    void searchReindexAgainstALocalServerThenExitZero() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        List<String> callerUids = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            callerUids.add(javaUid());
            byte[] body = "{\"queued\":3}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            // as the ECS task definition couponhub-search-reindex gives it
            Run run = run(List.of("search-reindex"), Map.of("COUPONHUB_OPS_COUPON_SERVICE_URL",
                    "http://127.0.0.1:" + server.getAddress().getPort()));
            assertThat(run.exitCode()).as(run.log()).isZero();
            assertThat(run.log()).contains("3 coupons queued");
            assertThat(requests).containsExactly("POST /actuator/searchreindex");
            if (ContainerImage.runningAsRoot()) {
                assertThat(callerUids).as("the JVM that called runs as the image's user").containsExactly("10001");
            }
        } finally {
            server.stop(0);
        }
    }

    private record Run(int exitCode, String log) {
    }

    private static Run run(List<String> args, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile(TARGET, "container-image-it", ".log");
        Map<String, String> environment = new HashMap<>(env);
        environment.put("JAVA_TOOL_OPTIONS", "-Xmx128m");
        Process process = IMAGE.get().entrypoint(args, environment)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        current = process;
        try {
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the task ends by itself").isTrue();
            return new Run(process.exitValue(), Files.readString(log));
        } finally {
            current = null;
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    /** The real uid of the image's JVM, read while it waits for an answer (empty when it cannot be found). */
    private static String javaUid() {
        Process process = current;
        if (process == null) {
            return "";
        }
        Optional<ProcessHandle> java = process.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst();
        try {
            String status = Files.readString(Path.of("/proc", Long.toString(java.orElseThrow().pid()), "status"));
            return status.lines().filter(line -> line.startsWith("Uid:")).findFirst()
                    .map(line -> line.split("\\s+")[1]).orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
