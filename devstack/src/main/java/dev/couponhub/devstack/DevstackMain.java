package dev.couponhub.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devstack as a program: starts the servers, writes {@code <dataDir>/devstack.env}, prints
 * {@code DEVSTACK READY} and a summary, then runs until SIGTERM or SIGINT, when it stops everything and removes
 * {@code devstack.env}.
 *
 * <p>An SQS outage on demand, for fault tests: while the file {@code <dataDir>/sqs.suspended} exists, ElasticMQ's port
 * is closed and its messages are kept; deleting the file opens it again ({@link SqsSwitch}).
 *
 * <pre>
 * java -cp "devstack/target/devstack-0.1.0-SNAPSHOT.jar:devstack/target/lib/*" dev.couponhub.devstack.DevstackMain \
 *     [--data-dir PATH] [--components mariadb,redis,sqs,smtp,elasticsearch] [--wipe]
 * </pre>
 */
public final class DevstackMain {

    static {
        // the program's logging; the file has its own name so that it never configures an application that merely
        // has the devstack on its class path (tests)
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/couponhub/devstack/logback-devstack.xml");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(DevstackMain.class);

    static final String READY_LINE = "DEVSTACK READY";
    static final String ENV_FILE = "devstack.env";

    private static final String USAGE = """
            Usage: devstack [--data-dir PATH] [--components LIST] [--wipe] [--help]

            Starts MariaDB, Redis, SQS (ElasticMQ), SMTP (GreenMail), Elasticsearch and Zipkin on 127.0.0.1 and runs
            until stopped (Ctrl+C or SIGTERM).

              --data-dir PATH     where the servers keep their data (default: .devstack in the current directory)
              --components LIST   comma-separated subset of mariadb,redis,sqs,smtp,elasticsearch,zipkin (default: all)
              --wipe              delete everything in the data directory first
              --help              show this help

            Ports: MariaDB 3306, Redis 6379, SQS 9324, SMTP 3025, mail HTTP API 8025, Elasticsearch 9200,
            Zipkin 9411.
            When ready, <data-dir>/devstack.env holds the ports, URLs and database passwords (shell syntax).""";

    private DevstackMain() {
    }

    public static void main(String[] args) {
        DevstackConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("devstack: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (config == null) {
            System.out.println(USAGE);
            return;
        }

        long startedAt = System.nanoTime();
        Path envFile = config.dataDir().resolve(ENV_FILE);
        CountDownLatch stopped = new CountDownLatch(1);
        Devstack devstack;
        try {
            log.info("Starting devstack in {} ({})", config.dataDir(), config.components());
            devstack = Devstack.start(config);
        } catch (DevstackException e) {
            log.error(e.getMessage());
            log.debug("Details", e);
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            log.error("Devstack failed to start", e);
            System.exit(1);
            return;
        }
        SqsSwitch sqsSwitch = null;
        if (devstack.components().contains(Component.SQS)) {
            Path switchFile = config.dataDir().resolve(SqsSwitch.FILE_NAME);
            deleteQuietly(switchFile);
            sqsSwitch = SqsSwitch.watch(switchFile, devstack::suspendSqs, devstack::resumeSqs, Duration.ofMillis(200));
        }
        SqsSwitch startedSwitch = sqsSwitch;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping devstack");
            if (startedSwitch != null) {
                startedSwitch.close();
            }
            devstack.close();
            deleteQuietly(envFile);
            log.info("Devstack stopped");
            stopped.countDown();
        }, "devstack-main-shutdown"));

        try {
            writeEnvFile(envFile, devstack);
        } catch (IOException e) {
            log.error("Cannot write {}: {}", envFile, e.getMessage());
            System.exit(1);
            return;
        }
        log.info("Devstack ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        printSummary(System.out, devstack, envFile);

        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Parses the arguments; null means "print help". */
    static DevstackConfig parse(String[] args) {
        DevstackConfig.Builder builder = DevstackConfig.programDefaults();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                inlineValue = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--wipe" -> builder.wipe(true);
                case "--data-dir" -> {
                    String value = inlineValue != null ? inlineValue : value(args, ++i, arg);
                    builder.dataDir(Path.of(value));
                }
                case "--components" -> {
                    String value = inlineValue != null ? inlineValue : value(args, ++i, arg);
                    Set<Component> components = EnumSet.noneOf(Component.class);
                    for (String name : value.split(",")) {
                        if (!name.isBlank()) {
                            components.add(Component.parse(name));
                        }
                    }
                    if (components.isEmpty()) {
                        throw new IllegalArgumentException("--components needs at least one component");
                    }
                    builder.components(components);
                }
                default -> throw new IllegalArgumentException("Unknown argument '" + args[i] + "'");
            }
        }
        return builder.build();
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    /** Shell-sourceable {@code KEY=value} lines, owner-only: it holds the database passwords. */
    static Map<String, String> environment(Devstack devstack) {
        Map<String, String> env = new LinkedHashMap<>();
        Set<Component> running = devstack.components();
        if (running.contains(Component.MARIADB)) {
            env.put("DEVSTACK_MARIADB_PORT", String.valueOf(devstack.mariadbPort()));
        }
        if (running.contains(Component.REDIS)) {
            env.put("DEVSTACK_REDIS_PORT", String.valueOf(devstack.redisPort()));
        }
        if (running.contains(Component.SQS)) {
            env.put("DEVSTACK_SQS_ENDPOINT", devstack.sqsEndpoint());
        }
        if (running.contains(Component.SMTP)) {
            env.put("DEVSTACK_SMTP_PORT", String.valueOf(devstack.smtpPort()));
            env.put("DEVSTACK_MAIL_API_URL", devstack.mailApiUrl());
        }
        if (running.contains(Component.ELASTICSEARCH)) {
            env.put("DEVSTACK_ELASTICSEARCH_URL", devstack.elasticsearchUrl());
        }
        if (running.contains(Component.ZIPKIN)) {
            env.put("DEVSTACK_ZIPKIN_URL", devstack.zipkinUrl());
        }
        if (running.contains(Component.MARIADB)) {
            for (String service : Credentials.SERVICES) {
                env.put(service.toUpperCase(Locale.ROOT) + "_DB_PASSWORD", devstack.dbPassword(service));
            }
        }
        return env;
    }

    private static void writeEnvFile(Path envFile, Devstack devstack) throws IOException {
        Path temp = Files.createTempFile(envFile.getParent(), ENV_FILE, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            writer.write("# Couponhub devstack, written when ready and removed when stopped. Private: it holds passwords.\n");
            for (Map.Entry<String, String> entry : environment(devstack).entrySet()) {
                writer.write(entry.getKey() + "=" + entry.getValue() + "\n");
            }
        }
        Files.move(temp, envFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void printSummary(PrintStream out, Devstack devstack, Path envFile) {
        Set<Component> running = devstack.components();
        List<String> lines = new ArrayList<>();
        if (running.contains(Component.MARIADB)) {
            lines.add(String.format("  %-14s %s  (schemas <service>_db, users <service>_svc)", "MariaDB",
                    devstack.jdbcUrl("<service>_db")));
        }
        if (running.contains(Component.REDIS)) {
            lines.add(String.format("  %-14s 127.0.0.1:%d", "Redis", devstack.redisPort()));
        }
        if (running.contains(Component.SQS)) {
            lines.add(String.format("  %-14s %s  (queues %s, each with a -dlq)", "SQS", devstack.sqsEndpoint(),
                    String.join(", ", SqsServer.QUEUES)));
        }
        if (running.contains(Component.SMTP)) {
            lines.add(String.format("  %-14s 127.0.0.1:%d  (read mail: %s/api/user/<email>/messages/)", "SMTP",
                    devstack.smtpPort(), devstack.mailApiUrl()));
        }
        if (running.contains(Component.ELASTICSEARCH)) {
            lines.add(String.format("  %-14s %s", "Elasticsearch", devstack.elasticsearchUrl()));
        }
        if (running.contains(Component.ZIPKIN)) {
            lines.add(String.format("  %-14s %s/zipkin/  (traces)", "Zipkin", devstack.zipkinUrl()));
        }
        lines.add(String.format("  %-14s %s%s", "Environment", envFile,
                running.contains(Component.MARIADB) ? " (database passwords there)" : ""));
        lines.add("Stop with Ctrl+C or SIGTERM.");
        StringBuilder text = new StringBuilder(READY_LINE).append('\n');
        lines.forEach(line -> text.append(line).append('\n'));
        out.print(text);
        out.flush();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Cannot delete {}: {}", file, e.getMessage());
        }
    }
}
