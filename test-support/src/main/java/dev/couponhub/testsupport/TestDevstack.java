package dev.couponhub.testsupport;

import dev.couponhub.devstack.Component;
import dev.couponhub.devstack.Devstack;
import dev.couponhub.devstack.DevstackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One devstack per test JVM, shared by every test class and Spring context in it.
 *
 * <p>Started lazily on the first call, with only the requested components; a later call that asks for more starts
 * the missing ones. Every server listens on a free port of 127.0.0.1 and keeps its data in a fresh directory
 * {@code couponhub-test-*} under {@code java.io.tmpdir}. A JVM shutdown hook stops it (after letting Spring's own
 * shutdown hooks close the application contexts that use it) and deletes the directory.
 *
 * <pre>
 * &#64;DynamicPropertySource
 * static void devstack(DynamicPropertyRegistry registry) {
 *     TestDevstack.register(registry, "user", Component.MARIADB, Component.REDIS);
 * }
 * </pre>
 */
public final class TestDevstack {

    private static final Object LOCK = new Object();
    private static final long SPRING_SHUTDOWN_WAIT_MILLIS = 30_000;
    private static final Set<String> SPRING_SHUTDOWN_HOOKS = Set.of("SpringApplicationShutdownHook",
            "SpringContextShutdownHook");

    private static Devstack devstack;

    private TestDevstack() {
    }

    /**
     * The JVM's devstack with at least the given components running (started now if needed). Thread-safe.
     */
    public static Devstack start(Component... components) {
        synchronized (LOCK) {
            if (devstack == null) {
                Path dataDir = createDataDir();
                try {
                    devstack = Devstack.start(DevstackConfig.builder(dataDir)
                            .components(components)
                            .stopOnExit(false)
                            .build());
                } catch (RuntimeException | Error e) {
                    deleteQuietly(dataDir);
                    throw e;
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(dataDir), "test-devstack-shutdown"));
            } else {
                devstack.ensureStarted(components);
            }
            return devstack;
        }
    }

    /**
     * Starts the given components (see {@link #start(Component...)}) and registers the Spring properties of
     * {@code service} for them:
     * <ul>
     *   <li>MARIADB: {@code spring.datasource.url} ({@code jdbc:mysql://127.0.0.1:<port>/<service>_db}),
     *       {@code spring.datasource.username} ({@code <service>_svc}), {@code spring.datasource.password}</li>
     *   <li>REDIS: {@code spring.data.redis.host}, {@code spring.data.redis.port}</li>
     *   <li>SQS: {@code spring.cloud.aws.sqs.endpoint}, {@code spring.cloud.aws.region.static} (us-east-1),
     *       {@code spring.cloud.aws.credentials.access-key} and {@code secret-key} (dummy "local")</li>
     *   <li>SMTP: {@code spring.mail.host}, {@code spring.mail.port}, {@code couponhub.test.mail-api-url} (GreenMail's
     *       HTTP API, see {@link Devstack#mailApiUrl()})</li>
     *   <li>ELASTICSEARCH: {@code spring.elasticsearch.uris}</li>
     * </ul>
     *
     * @param service user, store, coupon, notification, batch, gateway or ai (MARIADB only for the first five)
     */
    public static void register(DynamicPropertyRegistry registry, String service, Component... components) {
        Devstack stack = start(components);
        for (Component component : components) {
            switch (component) {
                case MARIADB -> {
                    String url = stack.jdbcUrl(service + "_db");
                    String user = stack.dbUser(service);
                    String password = stack.dbPassword(service);
                    registry.add("spring.datasource.url", () -> url);
                    registry.add("spring.datasource.username", () -> user);
                    registry.add("spring.datasource.password", () -> password);
                }
                case REDIS -> {
                    int port = stack.redisPort();
                    registry.add("spring.data.redis.host", () -> "127.0.0.1");
                    registry.add("spring.data.redis.port", () -> port);
                }
                case SQS -> {
                    String endpoint = stack.sqsEndpoint();
                    registry.add("spring.cloud.aws.sqs.endpoint", () -> endpoint);
                    registry.add("spring.cloud.aws.region.static", () -> "us-east-1");
                    registry.add("spring.cloud.aws.credentials.access-key", () -> "local");
                    registry.add("spring.cloud.aws.credentials.secret-key", () -> "local");
                }
                case SMTP -> {
                    int port = stack.smtpPort();
                    String mailApiUrl = stack.mailApiUrl();
                    registry.add("spring.mail.host", () -> "127.0.0.1");
                    registry.add("spring.mail.port", () -> port);
                    registry.add("couponhub.test.mail-api-url", () -> mailApiUrl);
                }
                case ELASTICSEARCH -> {
                    String url = stack.elasticsearchUrl();
                    registry.add("spring.elasticsearch.uris", () -> url);
                }
            }
        }
    }

    /**
     * A fresh data directory. Elasticsearch may run as an unprivileged user (when tests run as root), so the
     * directory must be traversable by others, unlike what {@link Files#createTempDirectory} makes.
     */
    private static Path createDataDir() {
        try {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "couponhub-test-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a data directory for the test devstack", e);
        }
    }

    private static void shutdown(Path dataDir) {
        awaitSpringShutdownHooks();
        Devstack stack;
        synchronized (LOCK) {
            stack = devstack;
            devstack = null;
        }
        if (stack != null) {
            stack.close();
        }
        deleteQuietly(dataDir);
    }

    /**
     * JVM shutdown hooks run concurrently; Spring's close the application contexts, whose listeners and pools should
     * go before the servers they talk to.
     */
    private static void awaitSpringShutdownHooks() {
        try {
            Thread.sleep(200); // the JVM starts all hooks together; let Spring's get going
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        List<Thread> hooks = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> SPRING_SHUTDOWN_HOOKS.contains(thread.getName()))
                .filter(thread -> thread != Thread.currentThread())
                .collect(Collectors.toList());
        long deadline = System.currentTimeMillis() + SPRING_SHUTDOWN_WAIT_MILLIS;
        for (Thread hook : hooks) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            try {
                hook.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException exc) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory; the OS cleans up what is left
        }
    }
}
