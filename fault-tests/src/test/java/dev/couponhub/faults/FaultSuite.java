package dev.couponhub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The suite as the launcher starts it, {@code ./couponhub up -d --wipe}, with this module's own state directory
 * ({@code fault-tests/target/devstack-state}, through {@code COUPONHUB_STATE_DIR}), shared by every fault scenario of
 * this JVM: started before the first scenario and stopped by {@link SuiteShutdownIT}, which runs last. Should a run
 * end earlier (a filtered run, a crash), the suite is stopped when the test engine finishes.
 *
 * <p>The reactor has packaged every jar the launcher starts before this module's tests run (they are this module's
 * dependencies), so the launcher is told so: its build stamp in the state directory gets the time of the oldest of
 * those jars. A source changed after that time (a run of this module alone on stale jars) still makes the launcher
 * build first, as it would for anyone.
 */
final class FaultSuite implements BeforeAllCallback {

    static final Path ROOT = Path.of(System.getProperty("couponhub.root", "..")).toAbsolutePath().normalize();
    static final Path STATE = ROOT.resolve("fault-tests/target/devstack-state");
    static final Path DATA = STATE.resolve("data");
    static final Path RUN = STATE.resolve("run");
    static final Path LOGS = STATE.resolve("logs");
    static final List<Integer> PORTS = List.of(8080, 8081, 8082, 8083, 8084, 8085, 8086, 9091, 9092, 9093,
            3306, 6379, 9324, 3025, 8025, 9200, 9411);
    static final String BASE_URL = "http://127.0.0.1:8080";
    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final List<String> LAUNCHED = List.of("user-service", "store-service", "coupon-service",
            "notification-service", "batch-service", "ai-service", "gateway-service");

    private enum State { NOT_STARTED, UP, FAILED, STOPPED }

    private static State state = State.NOT_STARTED;
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
        rootStore.put(FaultSuite.class, (ExtensionContext.Store.CloseableResource) FaultSuite::stopIfUp);
        try {
            for (int port : PORTS) {
                assertThat(portOpen(port)).as("port %d must be free before the suite starts", port).isFalse();
            }
            stampBuild();
            long started = System.nanoTime();
            state = State.UP; // from here on, whatever started must be stopped
            Result up = run(Duration.ofMinutes(8), "./couponhub", "up", "-d", "--wipe");
            System.out.printf("FAULTS suite up in %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            assertThat(up.exitCode()).as("./couponhub up -d output:%n%s", up.output()).isZero();
        }
        catch (AssertionError e) {
            startFailure = e;
            stopIfUp();
            state = State.FAILED;
            throw e;
        }
    }

    /** The launcher's build stamp, dated as the oldest jar it starts, when every one of them exists. */
    private static void stampBuild() throws IOException {
        List<Path> jars = new ArrayList<>();
        jars.add(ROOT.resolve("devstack/target/devstack-" + VERSION + ".jar"));
        LAUNCHED.forEach(name -> jars.add(ROOT.resolve(name + "/target/" + name + "-" + VERSION + ".jar")));
        FileTime oldest = null;
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                return; // the launcher builds
            }
            FileTime time = Files.getLastModifiedTime(jar);
            oldest = oldest == null || time.compareTo(oldest) < 0 ? time : oldest;
        }
        Files.createDirectories(STATE);
        Path stamp = STATE.resolve("build.stamp");
        Files.writeString(stamp, "");
        Files.setLastModifiedTime(stamp, oldest);
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

    static boolean portOpen(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    /** The devstack's database passwords, by user ({@code coupon_svc}, ...). */
    static Properties credentials() throws IOException {
        Properties credentials = new Properties();
        try (InputStream in = Files.newInputStream(DATA.resolve("credentials.properties"))) {
            credentials.load(in);
        }
        return credentials;
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a command in the repository root with this module's state directory; prints its output. */
    static Result run(Duration limit, String... command) throws Exception {
        Path output = Files.createTempFile("couponhub-faults-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().put("COUPONHUB_STATE_DIR", STATE.toString());
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
