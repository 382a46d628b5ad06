package dev.couponhub.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The processes of the running suite, found as the launcher left them: a service by its pid file
 * ({@code <state>/run/<name>.pid}), MariaDB and Redis as descendants of the devstack's JVM. A service is restarted
 * exactly as the launcher started it: the command line, environment and working directory read from {@code /proc}
 * before it is killed, the same command started again in a session of its own ({@code setsid}) with its output
 * appended to its log, and its new pid written to its pid file, so that {@code ./couponhub down} stops it.
 */
final class SuiteProcesses {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private SuiteProcesses() {
    }

    /** How a process was started: enough to start it again. */
    record Launch(List<String> command, Map<String, String> environment, Path directory) {

        static Launch of(long pid) {
            try {
                Path proc = Path.of("/proc", Long.toString(pid));
                List<String> command = split(Files.readAllBytes(proc.resolve("cmdline")));
                Map<String, String> environment = new LinkedHashMap<>();
                for (String entry : split(Files.readAllBytes(proc.resolve("environ")))) {
                    int equals = entry.indexOf('=');
                    if (equals > 0) {
                        environment.put(entry.substring(0, equals), entry.substring(equals + 1));
                    }
                }
                return new Launch(command, environment, Files.readSymbolicLink(proc.resolve("cwd")));
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot read /proc of pid " + pid, e);
            }
        }

        private static List<String> split(byte[] nulSeparated) {
            List<String> parts = new ArrayList<>();
            int from = 0;
            for (int i = 0; i < nulSeparated.length; i++) {
                if (nulSeparated[i] == 0) {
                    parts.add(new String(nulSeparated, from, i - from, StandardCharsets.UTF_8));
                    from = i + 1;
                }
            }
            if (from < nulSeparated.length) {
                parts.add(new String(nulSeparated, from, nulSeparated.length - from, StandardCharsets.UTF_8));
            }
            return parts;
        }

        /** Starts it again in a new session ({@code setsid}), output appended to {@code log}; answers its pid. */
        long start(Path log) {
            List<String> withSetsid = new ArrayList<>();
            withSetsid.add("setsid");
            withSetsid.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(withSetsid).directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(environment);
            try {
                // setsid execs the command in the same process (a child of this JVM is no group leader)
                return builder.start().pid();
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
        }
    }

    /** The pid the launcher (or a restart) recorded for {@code name} ({@code coupon-service}, {@code devstack}). */
    static long pidOf(String name) {
        try {
            return Long.parseLong(Files.readString(FaultSuite.RUN.resolve(name + ".pid")).trim());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A service killed by {@link #kill9Service}: how to start it again, and when it was killed. */
    record Killed(String name, Launch launch, long killedNanos) {
    }

    /** {@code kill -9} the service, after reading from {@code /proc} how it was started. */
    static Killed kill9Service(String name) throws Exception {
        long pid = pidOf(name);
        Launch launch = Launch.of(pid);
        long killed = System.nanoTime();
        kill9(pid);
        return new Killed(name, launch, killed);
    }

    /**
     * Starts a killed service again as the launcher did (its pid file updated) and waits until its health endpoint
     * answers UP. Answers how long it was down, from the kill until healthy.
     */
    static Duration restart(Killed killed, int port, Duration healthyWithin) throws Exception {
        long newPid = killed.launch().start(FaultSuite.LOGS.resolve(killed.name() + ".log"));
        Files.writeString(FaultSuite.RUN.resolve(killed.name() + ".pid"), newPid + "\n");
        awaitHealthy(killed.name(), port, newPid, healthyWithin);
        return Duration.ofNanos(System.nanoTime() - killed.killedNanos());
    }

    /** {@link #kill9Service} then {@link #restart}. */
    static Duration killAndRestart(String name, int port, Duration healthyWithin) throws Exception {
        return restart(kill9Service(name), port, healthyWithin);
    }

    /** {@code kill -9}, then waits until the process is gone. */
    static void kill9(long pid) throws Exception {
        signal("KILL", pid);
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (process.isPresent() && process.get().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Waits until {@code GET /actuator/health} on the port answers 200 with status UP, as the launcher checks. */
    static void awaitHealthy(String name, int port, long pid, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!healthy(port)) {
            if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                throw new AssertionError(name + " stopped while starting again (log: "
                        + FaultSuite.LOGS.resolve(name + ".log") + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " not healthy within " + within + " of its restart");
            }
            Thread.sleep(250);
        }
    }

    static boolean healthy(int port) {
        try {
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && health.body().contains("\"status\":\"UP\"");
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The devstack's descendant whose executable's file name starts with {@code prefix} (mariadbd, redis-server). */
    static long devstackChild(String... prefixes) {
        ProcessHandle devstack = ProcessHandle.of(pidOf("devstack"))
                .orElseThrow(() -> new IllegalStateException("the devstack is not running"));
        try (Stream<ProcessHandle> descendants = devstack.descendants()) {
            return descendants.filter(process -> {
                        String executable = executableName(process.pid());
                        return Stream.of(prefixes).anyMatch(executable::startsWith);
                    })
                    .findFirst()
                    .map(ProcessHandle::pid)
                    .orElseThrow(() -> new IllegalStateException("no " + String.join("/", prefixes)
                            + " under the devstack (pid " + devstack.pid() + ")"));
        }
    }

    /** The file name of the process's first argument ({@code /proc/<pid>/cmdline}), empty when unreadable. */
    static String executableName(long pid) {
        try {
            List<String> command = Launch.split(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")));
            if (command.isEmpty()) {
                return "";
            }
            String first = command.get(0).split(" ", 2)[0];
            return first.substring(first.lastIndexOf('/') + 1);
        }
        catch (IOException e) {
            return "";
        }
    }

    /** Whether a process with this pid still runs. */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
