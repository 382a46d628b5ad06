package dev.couponhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.couponhub.testsupport.ApiClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second gateway instance beside the suite's own (port 8080), started from the same jar on a free port with the
 * local profile, as a second task behind a load balancer would be: for what must hold on every instance.
 */
final class SecondGateway implements AutoCloseable {

    private final Process process;
    private final int port;

    private SecondGateway(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts it and waits until it is healthy (90 s at most); its log is {@code e2e-tests/target/<log>}. */
    static SecondGateway start(String log) throws Exception {
        Path jar;
        try (Stream<Path> jars = Files.list(CouponhubSuite.ROOT.resolve("gateway-service/target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("gateway-service-.*\\.jar")).findFirst()
                    .orElseThrow();
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString(),
                "--server.port=" + port)
                .directory(CouponhubSuite.ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(CouponhubSuite.ROOT.resolve("e2e-tests/target/" + log).toFile());
        builder.environment().put("SPRING_PROFILES_ACTIVE", "local");
        SecondGateway gateway = new SecondGateway(builder.start(), port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!up(gateway.client())) {
            assertThat(gateway.process.isAlive()).as("second gateway running (e2e-tests/target/%s)", log).isTrue();
            assertThat(System.nanoTime()).as("second gateway up within 90 s").isLessThan(deadline);
            Thread.sleep(500);
        }
        return gateway;
    }

    ApiClient client() {
        return new ApiClient(port);
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static boolean up(ApiClient gateway) {
        try {
            ApiClient.Response health = gateway.get("/actuator/health");
            return health.status() == 200 && health.body().contains("\"UP\"");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
