package dev.couponhub.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real servers for Couponhub on 127.0.0.1, without Docker: MariaDB, Redis, SQS (ElasticMQ), SMTP (GreenMail),
 * Elasticsearch and Zipkin. {@link #start(DevstackConfig)} checks every port, locks the data directory, starts the
 * requested components in parallel and returns when all are ready; {@link #close()} stops them all, child processes included.
 *
 * <p>Data directory layout: {@code mariadb/} (+ {@code mariadb-base/} binaries), {@code redis/}, {@code
 * elasticsearch/} (config copy, data, logs, tmp), {@code logs/}, {@code credentials.properties} (database
 * passwords, owner-only) and {@code devstack.lock}. SQS messages and received mail live in memory only.
 */
public final class Devstack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Devstack.class);

    /** Upper bound on waiting for components still starting when the devstack is closed. */
    private static final long CLOSE_WAIT_MILLIS = 180_000;

    private final DevstackConfig config;
    private final Path dataDir;
    private final DataDirLock lock;
    private final ReentrantLock startLock = new ReentrantLock();
    private final EnumMap<Component, ManagedServer> servers = new EnumMap<>(Component.class);
    private final Thread shutdownHook;
    private Credentials credentials;
    private int starting;
    private volatile boolean closed;
    private volatile boolean aborting;
    private boolean released;

    private Devstack(DevstackConfig config, DataDirLock lock) {
        this.config = config;
        this.dataDir = config.dataDir();
        this.lock = lock;
        this.shutdownHook = config.stopOnExit() ? new Thread(this::close, "devstack-shutdown") : null;
    }

    /**
     * Starts the configured components and returns once every one of them answers.
     *
     * @throws DevstackException when a port is taken, the data directory is locked by another devstack, or a server
     *                           fails to start (whatever had started is stopped again)
     */
    public static Devstack start(DevstackConfig config) {
        Path dataDir = config.dataDir();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dataDir, e);
        }
        DataDirLock lock = DataDirLock.acquire(dataDir);
        Devstack devstack = new Devstack(config, lock);
        if (devstack.shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(devstack.shutdownHook);
        }
        try {
            devstack.startComponents(config.components(), config.wipe());
            return devstack;
        } catch (RuntimeException | Error e) {
            devstack.close();
            throw e;
        }
    }

    /**
     * Starts those of the given components that are not running yet, on their configured ports (free ports when
     * none is configured). Returns once they are ready.
     */
    public Devstack ensureStarted(Component... components) {
        return ensureStarted(Arrays.asList(components));
    }

    /** See {@link #ensureStarted(Component...)}. */
    public Devstack ensureStarted(Collection<Component> components) {
        EnumSet<Component> wanted = components.isEmpty() ? EnumSet.noneOf(Component.class)
                : EnumSet.copyOf(components);
        startComponents(wanted, false);
        return this;
    }

    /** The components running now. */
    public synchronized Set<Component> components() {
        return servers.isEmpty() ? Collections.emptySet()
                : Collections.unmodifiableSet(EnumSet.copyOf(servers.keySet()));
    }

    /** The (absolute) data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** MariaDB's port on 127.0.0.1. */
    public int mariadbPort() {
        return server(Component.MARIADB, MariaDbServer.class).port();
    }

    /** {@code jdbc:mysql://127.0.0.1:<port>/<schema>}, for mysql-connector-j. */
    public String jdbcUrl(String schema) {
        return server(Component.MARIADB, MariaDbServer.class).jdbcUrl(schema);
    }

    /**
     * The database user of a service: {@code <service>_svc}, with privileges on {@code <service>_db} only.
     *
     * @param service one of user, store, coupon, notification, batch
     */
    public String dbUser(String service) {
        return Credentials.userOf(Credentials.requireService(service));
    }

    /** The generated password of {@link #dbUser(String)}; stable across restarts on the same data directory. */
    public String dbPassword(String service) {
        return server(Component.MARIADB, MariaDbServer.class).password(service);
    }

    /**
     * The master user, the devstack's counterpart of RDS's: every privilege on every schema, with grant option, from
     * 127.0.0.1. For tools that provision schemas and users (ops-tasks); the services never use it.
     */
    public String dbMasterUser() {
        return Credentials.MASTER_USER;
    }

    /** The generated password of {@link #dbMasterUser()}; stable across restarts on the same data directory. */
    public String dbMasterPassword() {
        return server(Component.MARIADB, MariaDbServer.class).masterPassword();
    }

    /** Redis' port on 127.0.0.1 (no password). */
    public int redisPort() {
        return server(Component.REDIS, RedisServerProcess.class).port();
    }

    /**
     * ElasticMQ's endpoint, {@code http://127.0.0.1:<port>}: region us-east-1, any credentials. Queues (each with a
     * dead-letter queue {@code <name>-dlq} after 12 receives, visibility timeout 30 s):
     * {@code coupon-events-notification}, {@code coupon-events-stats}, {@code store-events-coupon}. Messages are kept
     * in memory and do not survive a restart of the devstack.
     */
    public String sqsEndpoint() {
        return server(Component.SQS, SqsServer.class).endpoint();
    }

    /**
     * Closes ElasticMQ's port as an outage of SQS would, keeping its queues and messages; {@link #resumeSqs()} opens
     * it again. For fault tests (the devstack program does this while {@code <dataDir>/sqs.suspended} exists).
     */
    public void suspendSqs() {
        server(Component.SQS, SqsServer.class).suspend();
    }

    /** Opens ElasticMQ's port again after {@link #suspendSqs()}, every queue and message as it was. */
    public void resumeSqs() {
        server(Component.SQS, SqsServer.class).resume();
    }

    /** GreenMail's SMTP port on 127.0.0.1: any sender and recipient, no authentication, no TLS. */
    public int smtpPort() {
        return server(Component.SMTP, MailServer.class).smtpPort();
    }

    /**
     * Base URL of GreenMail's HTTP API, {@code http://127.0.0.1:<port>}, to read what was sent. Endpoints (JSON):
     * <ul>
     *   <li>{@code GET /api/user/{email}/messages/} - messages received by that address (INBOX): a JSON array of
     *       objects with {@code uid}, {@code Message-ID}, {@code subject}, {@code contentType} and {@code
     *       mimeMessage} (the raw RFC 822 text, headers included); answers 400 with {@code {"message": "User ...
     *       not found"}} while nothing was ever delivered to the address</li>
     *   <li>{@code GET /api/user/{email}/messages/{folder}/} - messages of another folder</li>
     *   <li>{@code POST /api/mail/purge} - deletes every message of every mailbox</li>
     *   <li>{@code GET /api/user} - mailboxes (one per recipient seen so far)</li>
     *   <li>{@code GET /api/service/readiness} - 200 when GreenMail is up</li>
     *   <li>{@code POST /api/service/reset} - restarts GreenMail, dropping all mail and users</li>
     *   <li>{@code GET /api/configuration}; {@code GET /} is a Swagger UI</li>
     * </ul>
     * Received mail lives in memory only.
     */
    public String mailApiUrl() {
        return server(Component.SMTP, MailServer.class).apiUrl();
    }

    /** Elasticsearch's URL, {@code http://127.0.0.1:<port>}, security off. */
    public String elasticsearchUrl() {
        return server(Component.ELASTICSEARCH, ElasticsearchServer.class).url();
    }

    /** Zipkin's root URL, {@code http://127.0.0.1:<port>} (UI under {@code /zipkin/}, API under {@code /api/v2}). */
    public String zipkinUrl() {
        return server(Component.ZIPKIN, ZipkinServer.class).url();
    }

    /**
     * Stops every component, Elasticsearch's processes included, in the reverse order of {@link Component}, then
     * releases the data directory. Waits for components still starting. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        closed = true;
        long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
        while (starting > 0 && System.currentTimeMillis() < deadline) {
            try {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Map.Entry<Component, ManagedServer>> toStop = new ArrayList<>(servers.entrySet());
        Collections.reverse(toStop);
        for (Map.Entry<Component, ManagedServer> entry : toStop) {
            log.info("Stopping {}", entry.getKey().displayName());
            entry.getValue().stop();
        }
        servers.clear();
        stopLeftoverProcesses();
        lock.close();
        released = true;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }

    /**
     * A safety net: a child process that outlived its server object (e.g. MariaDB's installer when the JVM was asked
     * to exit in the middle of a first start) is found by the data directory in its command line and stopped.
     */
    private void stopLeftoverProcesses() {
        String marker = dataDir.toString();
        List<ProcessHandle> leftovers = ProcessHandle.current().children()
                .filter(process -> process.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .collect(Collectors.toList());
        if (!leftovers.isEmpty()) {
            log.warn("Stopping {} leftover process(es) of the devstack in {}", leftovers.size(), dataDir);
            leftovers.forEach(process -> Os.destroyTree(process, 10_000));
        }
    }

    private void startComponents(Set<Component> requested, boolean wipe) {
        startLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("This devstack is closed");
            }
            EnumSet<Component> missing = requested.isEmpty() ? EnumSet.noneOf(Component.class)
                    : EnumSet.copyOf(requested);
            missing.removeAll(components());
            if (missing.isEmpty()) {
                if (wipe) {
                    wipe();
                }
                return;
            }
            PortPlan plan = planPorts(missing);
            Path elasticsearchHome = missing.contains(Component.ELASTICSEARCH) ? BuildSettings.elasticsearchHome()
                    : null;
            Path greenMailJar = missing.contains(Component.SMTP) ? BuildSettings.greenMailJar() : null;
            Path zipkinJar = missing.contains(Component.ZIPKIN) ? BuildSettings.zipkinJar() : null;
            if (wipe) {
                wipe();
            }
            if (missing.contains(Component.MARIADB) && credentials == null) {
                credentials = Credentials.loadOrCreate(dataDir);
            }
            launch(missing, plan, elasticsearchHome, greenMailJar, zipkinJar);
        } finally {
            startLock.unlock();
        }
    }

    private void wipe() {
        log.info("Wiping {}", dataDir);
        Os.deleteContents(dataDir, Set.of(DataDirLock.FILE_NAME));
        credentials = null;
    }

    /** Starts the components in parallel, the slowest (Elasticsearch) first. */
    private void launch(Set<Component> components, PortPlan plan, Path elasticsearchHome, Path greenMailJar,
                        Path zipkinJar) {
        List<Component> order = new ArrayList<>(components);
        order.sort((a, b) -> a == Component.ELASTICSEARCH ? -1 : b == Component.ELASTICSEARCH ? 1 : 0);
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(order.size(), task -> {
            Thread thread = new Thread(task, "devstack-start-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Map<Component, Future<?>> futures = new LinkedHashMap<>();
        aborting = false;
        try {
            for (Component component : order) {
                synchronized (this) {
                    starting++;
                }
                futures.put(component, pool.submit(() -> {
                    try {
                        startOne(component, plan, elasticsearchHome, greenMailJar, zipkinJar);
                    } catch (RuntimeException | Error e) {
                        aborting = true; // no need to wait for the slow ones: the start failed
                        throw e;
                    } finally {
                        synchronized (this) {
                            starting--;
                            notifyAll();
                        }
                    }
                }));
            }
        } finally {
            pool.shutdown();
        }
        List<RuntimeException> failures = new ArrayList<>();
        for (Map.Entry<Component, Future<?>> entry : futures.entrySet()) {
            try {
                entry.getValue().get();
            } catch (ExecutionException e) {
                failures.add(e.getCause() instanceof RuntimeException runtime ? runtime
                        : new DevstackException(entry.getKey().displayName() + " failed to start: " + e.getCause(),
                                e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new DevstackException("Interrupted while starting the devstack", e));
                break;
            }
        }
        awaitTermination(pool);
        if (!failures.isEmpty()) {
            // report the failure that caused the others to give up, not their giving up
            RuntimeException primary = failures.stream()
                    .filter(failure -> !(failure instanceof StartCancelledException))
                    .findFirst()
                    .orElse(failures.get(0));
            failures.stream().filter(failure -> failure != primary).forEach(primary::addSuppressed);
            throw primary;
        }
    }

    private void startOne(Component component, PortPlan plan, Path elasticsearchHome, Path greenMailJar,
                          Path zipkinJar) {
        long startedAt = System.nanoTime();
        int port = plan.ports().get(component);
        ManagedServer server = switch (component) {
            case MARIADB -> MariaDbServer.start(dataDir, port, credentials);
            case REDIS -> RedisServerProcess.start(dataDir, port);
            case SQS -> SqsServer.start(port);
            case SMTP -> MailServer.start(greenMailJar, port, plan.mailApiPort());
            case ELASTICSEARCH -> ElasticsearchServer.start(elasticsearchHome, dataDir, port,
                    plan.transportPort(), () -> closed || aborting);
            case ZIPKIN -> ZipkinServer.start(zipkinJar, dataDir, port, () -> closed || aborting);
        };
        synchronized (this) {
            if (!closed) {
                servers.put(component, server);
                log.info("{} ready on 127.0.0.1:{} ({} ms)", component.displayName(), port,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
                return;
            }
        }
        server.stop();
        throw new StartCancelledException(component.displayName() + " started after the devstack was closed");
    }

    /**
     * Checks that every configured port is free (reporting all taken ones at once) and picks free ports for the
     * rest, Elasticsearch's transport port included.
     */
    private PortPlan planPorts(Set<Component> components) {
        record Claim(String owner, int port) {
        }
        List<Claim> fixed = new ArrayList<>();
        int wanted = 0;
        for (Component component : components) {
            int port = config.port(component);
            if (port > 0) {
                fixed.add(new Claim(component.displayName(), port));
            } else {
                wanted++;
            }
        }
        boolean smtp = components.contains(Component.SMTP);
        if (smtp && config.mailApiPort() > 0) {
            fixed.add(new Claim("the mail HTTP API (GreenMail)", config.mailApiPort()));
        } else if (smtp) {
            wanted++;
        }
        if (components.contains(Component.ELASTICSEARCH)) {
            wanted++;
        }
        Map<Integer, List<String>> owners = fixed.stream().collect(Collectors.groupingBy(Claim::port,
                LinkedHashMap::new, Collectors.mapping(Claim::owner, Collectors.toList())));
        List<String> problems = new ArrayList<>();
        owners.forEach((port, names) -> {
            if (names.size() > 1) {
                problems.add("Port " + port + " is configured for both " + String.join(" and ", names));
            }
        });
        for (Claim claim : fixed) {
            if (!Ports.isFree(claim.port())) {
                problems.add("Port " + claim.port() + " for " + claim.owner() + " is already in use on "
                        + Ports.HOST);
            }
        }
        if (!problems.isEmpty()) {
            throw new DevstackException(String.join("; ", problems) + ". Stop whatever uses "
                    + (problems.size() == 1 ? "it" : "them") + ", or start the devstack with other ports.");
        }
        List<Integer> free = new ArrayList<>(Ports.pickFree(wanted + fixed.size()));
        free.removeAll(owners.keySet());
        EnumMap<Component, Integer> ports = new EnumMap<>(Component.class);
        int next = 0;
        for (Component component : components) {
            int port = config.port(component);
            ports.put(component, port > 0 ? port : free.get(next++));
        }
        int mailApiPort = !smtp ? 0 : config.mailApiPort() > 0 ? config.mailApiPort() : free.get(next++);
        int transportPort = components.contains(Component.ELASTICSEARCH) ? free.get(next) : 0;
        return new PortPlan(ports, mailApiPort, transportPort);
    }

    private synchronized <T extends ManagedServer> T server(Component component, Class<T> type) {
        ManagedServer server = servers.get(component);
        if (server == null) {
            throw new IllegalStateException(component.displayName() + " is not running in this devstack (running: "
                    + servers.keySet() + ")");
        }
        return type.cast(server);
    }

    /** The launcher process of Elasticsearch, when it runs (for checks that nothing is left behind). */
    synchronized ProcessHandle elasticsearchProcess() {
        ManagedServer server = servers.get(Component.ELASTICSEARCH);
        return server == null ? null : ((ElasticsearchServer) server).processHandle();
    }

    private static void awaitTermination(ExecutorService pool) {
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record PortPlan(Map<Component, Integer> ports, int mailApiPort, int transportPort) {
    }
}
