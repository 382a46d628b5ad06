package dev.couponhub.ops;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.stereotype.Component;

/**
 * Runs the task named by the first (non-option) program argument and keeps its outcome as the exit code. Every failure
 * ends here as a log line and an exit code, never as an exception out of {@code SpringApplication.run}.
 */
@Component
class TaskRunner implements ApplicationRunner, ExitCodeGenerator {

    static final int OK = 0;
    /** The task ran and failed (database, Secrets Manager or coupon-service refused or did not answer). */
    static final int FAILED = 1;
    /** No command, an unknown command, or a configuration the task refuses: nothing was changed. */
    static final int USAGE = 2;

    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    private final Map<String, OpsTask> tasks;
    private int exitCode = FAILED;

    TaskRunner(List<OpsTask> tasks) {
        this.tasks = tasks.stream().collect(Collectors.toMap(OpsTask::command, Function.identity(), (a, b) -> {
            throw new IllegalStateException("Two tasks for command " + a.command());
        }, TreeMap::new));
    }

    @Override
    public void run(ApplicationArguments arguments) {
        exitCode = runCommand(arguments.getNonOptionArgs());
    }

    private int runCommand(List<String> commands) {
        if (commands.size() != 1) {
            log.error("{}: expected exactly one command, one of {}", commands.isEmpty() ? "No command"
                    : "Several commands " + commands, tasks.keySet());
            return USAGE;
        }
        String command = commands.get(0);
        OpsTask task = tasks.get(command);
        if (task == null) {
            log.error("Unknown command '{}': expected one of {}", command, tasks.keySet());
            return USAGE;
        }
        log.info("{}: starting", command);
        try {
            task.run();
        } catch (InvalidConfigurationException e) {
            log.error("{}: refused, nothing was changed: {}", command, e.getMessage());
            return USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("{}: interrupted", command);
            return FAILED;
        } catch (Exception e) {
            log.error("{}: failed: {}", command, e.getMessage() != null ? e.getMessage() : e.getClass().getName());
            log.debug("{}: failure", command, e);
            return FAILED;
        }
        log.info("{}: done", command);
        return OK;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
