package dev.couponhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Does what a newcomer does: {@code ./couponhub up -d}, pastes the README's walk-through, then
 * {@code ./couponhub down}, and checks that nothing is left running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadmeWalkthroughIT {

    private static final Path ROOT = Path.of(System.getProperty("couponhub.root", "..")).toAbsolutePath().normalize();
    private static final Path STATE = ROOT.resolve("e2e-tests/target/devstack-state");
    private static final List<Integer> PORTS = List.of(8080, 8081, 8082, 8083, 8084, 8085, 8086, 9091, 9092, 9093,
            3306, 6379, 9324, 3025, 8025, 9200);

    private static boolean up;

    @BeforeAll
    static void startSuite() throws Exception {
        for (int port : PORTS) {
            assertThat(portOpen(port)).as("port %d must be free before the suite starts", port).isFalse();
        }
        long started = System.nanoTime();
        Result result = run(Duration.ofMinutes(10), "./couponhub", "up", "-d", "--wipe");
        up = true;
        System.out.printf("./couponhub up -d took %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        assertThat(result.exitCode()).as("./couponhub up -d output:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("http://localhost:8080").contains("/swagger-ui.html");
    }

    @AfterAll
    static void stopSuite() throws Exception {
        if (up) {
            run(Duration.ofMinutes(3), "./couponhub", "down");
        }
    }

    @Test
    @Order(1)
    void statusShowsEveryServiceHealthy() throws Exception {
        Result status = run(Duration.ofMinutes(1), "./couponhub", "status");
        assertThat(status.exitCode()).isZero();
        for (String service : List.of("user-service", "store-service", "coupon-service", "notification-service",
                "batch-service", "ai-service", "gateway-service")) {
            assertThat(status.output()).containsPattern(service + "\\s+\\d+\\s+\\d+\\s+healthy");
        }
    }

    @Test
    @Order(2)
    void readmeWalkthroughWorksAsPasted() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher block = Pattern.compile("<!-- walkthrough:start -->\\s*```bash\\n(.*?)```\\s*<!-- walkthrough:end -->",
                Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README has a walk-through block").isTrue();

        Result result = run(Duration.ofMinutes(2), "bash", "-e", "-c", block.group(1));

        assertThat(result.exitCode()).as("walk-through output:%n%s", result.output()).isZero();
        assertThat(result.output())
                .contains("\"email\":\"mina@example.com\"")
                .contains("\"role\":\"SHOPPER\"")
                .containsPattern("store \\d+, coupon \\d+")
                .contains("\"status\":\"ISSUED\"")
                .contains("\"storeName\":\"Jun Coffee 준커피\"")
                .containsPattern("\"code\":\"[A-Z0-9]{8,}\"")
                // the follower's live alert and its email
                .contains("event:COUPON_PUBLISHED")
                .containsPattern("\"subject\":\"[^\"]+\"")
                // recommendations without a model, and the owner's statistics naming the coupon
                .contains("\"source\":\"FALLBACK\"")
                .contains("\"jobName\":\"coupon-usage-stats\"")
                .containsPattern("\"coupons\":\\[\\{\"couponId\":\\d+,\"name\":\"Americano 2,000 won off\"")
                .doesNotContain("\"status\":401")
                .doesNotContain("\"status\":403")
                .doesNotContain("\"status\":500")
                .doesNotContain("\"status\":503");
    }

    @Test
    @Order(3)
    void downLeavesNoProcessAndFreesEveryPort() throws Exception {
        Result down = run(Duration.ofMinutes(3), "./couponhub", "down");
        up = false;
        assertThat(down.exitCode()).as(down.output()).isZero();

        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(STATE.toString())
                        || c.contains(ROOT + "/devstack/target") || c.matches(".*/[a-z]+-service-[^ ]*\\.jar.*"))
                        .orElse(false))
                .toList();
        assertThat(leftovers).as("processes left behind").isEmpty();
        for (int port : PORTS) {
            assertThat(portOpen(port)).as("port %d is free after down", port).isFalse();
        }
    }

    private static boolean portOpen(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Duration limit, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("COUPONHUB_STATE_DIR", STATE.toString());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + limit);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        System.out.println("$ " + String.join(" ", command) + "\n" + text);
        return new Result(process.exitValue(), text);
    }
}
