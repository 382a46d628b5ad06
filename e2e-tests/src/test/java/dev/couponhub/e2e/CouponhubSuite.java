package dev.couponhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The suite as a newcomer starts it, {@code ./couponhub up -d --wipe}, shared by every end-to-end test
 * class of this JVM, and then by the fault scenarios ({@code dev.couponhub.faults}, ordered after them): started once, before the first class that uses it ({@code @ExtendWith(CouponhubSuite.class)}),
 * and stopped by {@link SuiteShutdownIT}, which runs last and checks that nothing is left behind. Should
 * a run end earlier (a filtered run, a crash), the suite is stopped when the test engine finishes.
 */
public final class CouponhubSuite implements BeforeAllCallback {

    public static final Path ROOT = Path.of(System.getProperty("couponhub.root", "..")).toAbsolutePath().normalize();
    public static final Path STATE = ROOT.resolve("e2e-tests/target/devstack-state");
    static final List<Integer> PORTS = List.of(8080, 8081, 8082, 8083, 8084, 8085, 8086, 9091, 9092, 9093,
            3306, 6379, 9324, 3025, 8025, 9200, 9411);
    static final String BASE_URL = "http://localhost:8080";

    private enum State { NOT_STARTED, UP, FAILED, STOPPED }

    private static State state = State.NOT_STARTED;
    private static Result upResult;
    private static AssertionError startFailure;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ensureUp(context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL));
    }

    private static synchronized void ensureUp(ExtensionContext.Store rootStore) throws Exception {
        switch (state) {
            case UP -> {
                return;
            }
            case FAILED -> throw new AssertionError("the suite did not start (see the first failing class)", startFailure);
            case STOPPED -> throw new IllegalStateException("the suite was stopped already: SuiteShutdownIT must run last");
            case NOT_STARTED -> { }
        }
        // stops the suite when the engine finishes, whatever happened before
        rootStore.put(CouponhubSuite.class, (ExtensionContext.Store.CloseableResource) CouponhubSuite::stopIfUp);
        try {
            for (int port : PORTS) {
                assertThat(portOpen(port)).as("port %d must be free before the suite starts", port).isFalse();
            }
            long started = System.nanoTime();
            state = State.UP; // from here on, whatever started must be stopped
            upResult = run(Duration.ofMinutes(10), "./couponhub", "up", "-d", "--wipe");
            System.out.printf("./couponhub up -d took %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            assertThat(upResult.exitCode()).as("./couponhub up -d output:%n%s", upResult.output()).isZero();
        }
        catch (AssertionError e) {
            startFailure = e;
            stopIfUp();
            state = State.FAILED;
            throw e;
        }
    }

    /** What {@code ./couponhub up -d} printed. */
    static synchronized Result upResult() {
        return upResult;
    }

    /** {@code ./couponhub down}; the suite cannot be used again in this JVM. */
    static synchronized Result down() throws Exception {
        Result down = run(Duration.ofMinutes(3), "./couponhub", "down");
        state = State.STOPPED;
        return down;
    }

    private static synchronized void stopIfUp() throws Exception {
        if (state == State.UP) {
            down();
        }
    }

    public static boolean portOpen(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a command in the repository root with the suite's state directory; output goes to the log too. */
    static Result run(Duration limit, String... command) throws Exception {
        return run(limit, ROOT.toFile(), Map.of(), command);
    }

    static Result run(Duration limit, File directory, Map<String, String> environment, String... command)
            throws Exception {
        Path output = Files.createTempFile("couponhub-e2e-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().put("COUPONHUB_STATE_DIR", STATE.toString());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + limit + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            System.out.println("$ " + String.join(" ", command) + "\n" + text);
            return new Result(process.exitValue(), text);
        }
        finally {
            Files.deleteIfExists(output);
        }
    }
}
