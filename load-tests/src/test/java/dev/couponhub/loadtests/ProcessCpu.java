package dev.couponhub.loadtests;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of every process of the suite, read from {@code /proc} (Linux): the services and the devstack JVM whose pids
 * the launcher records in {@code .devstack/run/*.pid}, the servers the devstack started (MariaDB, Redis,
 * Elasticsearch: its descendants), this load generator, and the whole machine ({@code /proc/stat}). Two snapshots
 * give each process's CPU seconds in between; divided by the claims issued meanwhile, the CPU cost of a claim.
 */
final class ProcessCpu {

    /** Clock ticks per second of {@code /proc} times; 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    private static final double TICKS_PER_SECOND = 100.0;
    static final String LOAD_GENERATOR = "load generator (this JVM)";

    /** A named process (or group of processes) and its pids. */
    record Tracked(String name, List<Long> pids) {
    }

    /** CPU seconds per tracked name, the machine's busy seconds, and when it was taken. */
    record Snapshot(Map<String, Double> cpuSeconds, double machineBusySeconds, long nanos) {
    }

    private final List<Tracked> tracked;

    private ProcessCpu(List<Tracked> tracked) {
        this.tracked = tracked;
    }

    /** The processes to follow, found from the launcher's pid files in {@code runDir}; empty when there are none. */
    static ProcessCpu discover(Path runDir) {
        List<Tracked> found = new ArrayList<>();
        Map<Long, Long> parents = parents();
        if (Files.isDirectory(runDir)) {
            try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(runDir, "*.pid")) {
                List<Path> sorted = new ArrayList<>();
                pidFiles.forEach(sorted::add);
                sorted.sort(null);
                for (Path file : sorted) {
                    String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
                    long pid = Long.parseLong(Files.readString(file).strip());
                    if (!Files.isDirectory(Path.of("/proc", Long.toString(pid)))) {
                        continue;
                    }
                    if (name.equals("devstack")) {
                        found.add(new Tracked("devstack JVM (ElasticMQ, GreenMail)", List.of(pid)));
                        found.addAll(devstackServers(pid, parents));
                    } else {
                        found.add(new Tracked(name, List.of(pid)));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                System.out.println("cpu: cannot read the launcher's pid files in " + runDir + ": " + e);
            }
        }
        found.add(new Tracked(LOAD_GENERATOR, List.of(ProcessHandle.current().pid())));
        return new ProcessCpu(found);
    }

    /** The servers the devstack JVM started, by their command, each with all its processes. */
    private static List<Tracked> devstackServers(long devstackPid, Map<Long, Long> parents) {
        Map<String, List<Long>> byServer = new LinkedHashMap<>();
        for (long pid : parents.keySet()) {
            if (!descendsFrom(pid, devstackPid, parents)) {
                continue;
            }
            String command = command(pid);
            String server = command.contains("mariadbd") || command.contains("mysqld") ? "MariaDB"
                    : command.contains("redis-server") ? "Redis"
                    : command.contains("elasticsearch") ? "Elasticsearch"
                    : "devstack child: " + command.split("\0", 2)[0];
            byServer.computeIfAbsent(server, key -> new ArrayList<>()).add(pid);
        }
        List<Tracked> servers = new ArrayList<>();
        byServer.forEach((name, pids) -> servers.add(new Tracked(name, pids)));
        return servers;
    }

    private static boolean descendsFrom(long pid, long ancestor, Map<Long, Long> parents) {
        Long current = parents.get(pid);
        for (int depth = 0; current != null && depth < 20; depth++) {
            if (current == ancestor) {
                return true;
            }
            current = parents.get(current);
        }
        return false;
    }

    private static Map<Long, Long> parents() {
        Map<Long, Long> parents = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String[] fields = statFields(process.resolve("stat"));
                if (fields != null) {
                    parents.put(Long.parseLong(process.getFileName().toString()), Long.parseLong(fields[1]));
                }
            }
        } catch (IOException e) {
            System.out.println("cpu: cannot list /proc: " + e);
        }
        return parents;
    }

    private static String command(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException e) {
            return "";
        }
    }

    /** The fields of a {@code stat} file after the command: [0] state, [1] ppid, ... [11] utime, [12] stime. */
    private static String[] statFields(Path stat) {
        try {
            String text = Files.readString(stat);
            return text.substring(text.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    Snapshot snapshot() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (Tracked process : tracked) {
            double total = 0;
            for (long pid : process.pids()) {
                String[] fields = statFields(Path.of("/proc", Long.toString(pid), "stat"));
                if (fields != null) {
                    total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
                }
            }
            seconds.put(process.name(), total);
        }
        return new Snapshot(seconds, machineBusySeconds(), System.nanoTime());
    }

    /** Busy time of all cores since boot: {@code /proc/stat}'s first line without idle and iowait. */
    private static double machineBusySeconds() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(cpu[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * The table of one phase: per process its CPU seconds, share of one core and CPU milliseconds per claim, then the
     * total of the listed processes and the whole machine (what else ran shows as the difference).
     */
    static String table(String phase, Snapshot from, Snapshot to, long claims) {
        double wall = (to.nanos() - from.nanos()) / 1e9;
        StringBuilder out = new StringBuilder(String.format(
                "cpu %s: %d claims in %.1f s%n  %-40s %9s %9s %12s%n", phase, claims, wall, "process", "cpu s",
                "% core", "ms/claim"));
        double suite = 0;
        for (Map.Entry<String, Double> process : to.cpuSeconds().entrySet()) {
            double used = process.getValue() - from.cpuSeconds().getOrDefault(process.getKey(), 0.0);
            if (!process.getKey().equals(LOAD_GENERATOR)) {
                suite += used;
            }
            out.append(row(process.getKey(), used, wall, claims));
        }
        out.append(row("suite total (all above but the load gen.)", suite, wall, claims));
        out.append(row("whole machine (every process)", to.machineBusySeconds() - from.machineBusySeconds(), wall,
                claims));
        return out.toString();
    }

    /**
     * One line for a short phase: each process that used at least 10 ms of CPU, with its share of one core, busiest
     * first, then the whole machine (two cores are 200 %).
     */
    static String line(Snapshot from, Snapshot to) {
        double wall = (to.nanos() - from.nanos()) / 1e9;
        double machine = to.machineBusySeconds() - from.machineBusySeconds();
        return shares(from.cpuSeconds(), to.cpuSeconds(), wall) + String.format(
                ", whole machine %.0f %% (of one core, over %.2f s)", wall > 0 ? 100 * machine / wall : 0, wall);
    }

    /**
     * CPU seconds of one process's threads so far, summed by thread name with its digits dropped
     * ({@code /proc/<pid>/task}, names as the kernel keeps them: at most 15 characters, e.g. "C# CompilerThre" for the
     * JIT compiler's threads).
     */
    static Map<String, Double> threads(long pid) {
        Map<String, Double> seconds = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String[] fields = statFields(task.resolve("stat"));
                if (fields == null) {
                    continue;
                }
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "#");
                } catch (IOException e) {
                    continue;
                }
                seconds.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND,
                        Double::sum);
            }
        } catch (IOException e) {
            System.out.println("cpu: cannot list the threads of " + pid + ": " + e);
        }
        return seconds;
    }

    /**
     * What used at least 10 ms of CPU between two readings of CPU seconds by name (processes or {@link #threads}),
     * busiest first, each as a share of one core over {@code wallSeconds}.
     */
    static String shares(Map<String, Double> from, Map<String, Double> to, double wallSeconds) {
        StringBuilder out = new StringBuilder();
        to.entrySet().stream()
                .map(used -> Map.entry(used.getKey(), used.getValue() - from.getOrDefault(used.getKey(), 0.0)))
                .filter(used -> used.getValue() >= 0.01)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(used -> out.append(out.isEmpty() ? "" : ", ").append(String.format("%s %.0f %%",
                        used.getKey(), wallSeconds > 0 ? 100 * used.getValue() / wallSeconds : 0)));
        return out.toString();
    }

    private static String row(String name, double cpuSeconds, double wall, long claims) {
        return String.format("  %-42s %9.1f %8.0f%% %12s%n", name, cpuSeconds, wall > 0 ? 100 * cpuSeconds / wall : 0,
                claims > 0 ? String.format("%.3f", 1000 * cpuSeconds / claims) : "-");
    }
}
