package dev.couponhub.loadtests;

import java.nio.file.Path;
import java.time.Duration;

/** Every knob of the benchmark, read from system properties ({@code -Dname=value}). */
record BenchConfig(
        String baseUrl,
        int users,
        int stock,
        int perUserLimit,
        int rate,
        int connections,
        Duration warmUp,
        Duration duration,
        int setupThreads,
        String runId,
        String jdbcUrl,
        Path credentials,
        boolean checkConsumers,
        Duration consumerDeadline,
        Path runDir,
        String couponMetricsUrl) {

    static BenchConfig fromSystemProperties() {
        int users = intProp("users", 1_000);
        int perUserLimit = intProp("perUserLimit", 100);
        if (perUserLimit < 1 || perUserLimit > 100) {
            throw new IllegalArgumentException("perUserLimit must be 1..100");
        }
        Path credentials = credentialsFile();
        return new BenchConfig(
                System.getProperty("baseUrl", "http://localhost:8080"),
                users,
                intProp("stock", 20_000),
                perUserLimit,
                intProp("rate", 0),
                intProp("connections", 24),
                Duration.ofSeconds(intProp("warmUpSeconds", 90)),
                Duration.ofSeconds(intProp("durationSeconds", 60)),
                intProp("setupThreads", 8),
                System.getProperty("runId", "bench"),
                System.getProperty("jdbcUrl", "jdbc:mysql://127.0.0.1:3306/coupon_db"),
                credentials,
                Boolean.parseBoolean(System.getProperty("checkConsumers", "true")),
                Duration.ofSeconds(intProp("consumerDeadlineSeconds", 10)),
                Path.of(System.getProperty("runDir", credentials.toAbsolutePath().getParent().resolveSibling("run")
                        .toString())),
                System.getProperty("couponMetricsUrl", "http://localhost:8083/actuator/prometheus"));
    }

    private static int intProp(String name, int fallback) {
        return Integer.parseInt(System.getProperty(name, String.valueOf(fallback)));
    }

    /** The devstack's generated database passwords; the file's path, never its content, may be logged. */
    private static Path credentialsFile() {
        String configured = System.getProperty("credentialsFile");
        if (configured != null) {
            return Path.of(configured);
        }
        for (String candidate : new String[] {".devstack/data/credentials.properties",
                "../.devstack/data/credentials.properties"}) {
            Path path = Path.of(candidate);
            if (path.toFile().isFile()) {
                return path;
            }
        }
        return Path.of("../.devstack/data/credentials.properties");
    }
}
