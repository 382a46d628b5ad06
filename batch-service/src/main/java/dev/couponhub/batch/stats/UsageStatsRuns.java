package dev.couponhub.batch.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobInstance;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.explore.JobExplorer;
import org.springframework.batch.core.launch.JobLauncher;
import org.springframework.batch.core.repository.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.repository.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.JobRestartException;
import org.springframework.batch.core.JobParametersInvalidException;
import org.springframework.stereotype.Component;

/**
 * Launches, restarts and looks up runs of job {@code coupon-usage-stats}. Launching answers at once: the job runs on
 * the batch task executor.
 */
@Component
public class UsageStatsRuns {

    private static final Logger log = LoggerFactory.getLogger(UsageStatsRuns.class);
    /** A failed instance is restarted at most this many times in all. */
    private static final int MAX_EXECUTIONS_PER_INSTANCE = 3;
    private static final Set<BatchStatus> RUNNING = Set.of(BatchStatus.STARTING, BatchStatus.STARTED,
            BatchStatus.STOPPING);

    private final JobLauncher launcher;
    private final JobExplorer explorer;
    private final JobRepository repository;
    private final Job job;
    private final Clock clock;

    UsageStatsRuns(JobLauncher launcher, JobExplorer explorer, JobRepository repository, Job couponUsageStatsJob,
                   Clock clock) {
        this.launcher = launcher;
        this.explorer = explorer;
        this.repository = repository;
        this.job = couponUsageStatsJob;
        this.clock = clock;
    }

    public String jobName() {
        return job.getName();
    }

    /** Starts a run over {@code from..to}; answers its execution. */
    public JobExecution launch(LocalDate from, LocalDate to, String trigger) {
        return run(UsageStatsParameters.of(from, to, trigger));
    }

    /**
     * Starts a scheduled run unless the same slot already ran or runs (on this instance or another): answers it, or
     * nothing when there was nothing to do.
     */
    Optional<JobExecution> launchOnce(LocalDate from, LocalDate to, String trigger) {
        try {
            return Optional.of(launcher.run(job, UsageStatsParameters.of(from, to, trigger)));
        } catch (JobExecutionAlreadyRunningException | JobInstanceAlreadyCompleteException already) {
            log.debug("Run {} of {} is already done or under way", trigger, job.getName());
            return Optional.empty();
        } catch (JobRestartException | JobParametersInvalidException e) {
            throw new IllegalStateException("cannot launch " + job.getName() + " " + trigger, e);
        }
    }

    /** The execution with this id, if it is a run of this job. */
    public Optional<JobExecution> find(long runId) {
        JobExecution execution = explorer.getJobExecution(runId);
        if (execution == null || !job.getName().equals(execution.getJobInstance().getJobName())) {
            return Optional.empty();
        }
        return Optional.of(execution);
    }

    /**
     * Runs whose process died leave their execution STARTED for good. Those that have not written anything for
     * {@code staleAfter} are marked FAILED, so that {@link #restartFailed()} can take them up again.
     */
    public int abandonStale(Duration staleAfter) {
        // Spring Batch records times in the JVM's zone
        LocalDateTime limit = LocalDateTime.ofInstant(clock.instant().minus(staleAfter), ZoneId.systemDefault());
        int marked = 0;
        for (JobExecution execution : explorer.findRunningJobExecutions(job.getName())) {
            LocalDateTime lastUpdated = execution.getLastUpdated() != null ? execution.getLastUpdated()
                    : execution.getCreateTime();
            if (lastUpdated == null || !lastUpdated.isBefore(limit)) {
                continue;
            }
            LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneId.systemDefault());
            for (StepExecution step : execution.getStepExecutions()) {
                if (RUNNING.contains(step.getStatus())) {
                    step.setStatus(BatchStatus.FAILED);
                    step.setExitStatus(ExitStatus.FAILED.addExitDescription("abandoned: no progress since "
                            + lastUpdated));
                    step.setEndTime(now);
                    repository.update(step);
                }
            }
            execution.setStatus(BatchStatus.FAILED);
            execution.setExitStatus(ExitStatus.FAILED.addExitDescription("abandoned: no progress since "
                    + lastUpdated));
            execution.setEndTime(now);
            repository.update(execution);
            log.warn("Run {} of {} made no progress since {}; marked FAILED", execution.getId(), job.getName(),
                    lastUpdated);
            marked++;
        }
        return marked;
    }

    /** Restarts recent instances whose last run failed, each a few times at most; answers how many. */
    public int restartFailed() {
        int restarted = 0;
        List<JobInstance> recent = explorer.getJobInstances(job.getName(), 0, 20);
        for (JobInstance instance : recent) {
            List<JobExecution> executions = explorer.getJobExecutions(instance);
            if (executions.isEmpty() || executions.size() >= MAX_EXECUTIONS_PER_INSTANCE) {
                continue;
            }
            JobExecution last = executions.stream().max((a, b) -> Long.compare(a.getId(), b.getId())).orElseThrow();
            if (last.getStatus() != BatchStatus.FAILED) {
                continue;
            }
            JobParameters parameters = last.getJobParameters();
            try {
                launcher.run(job, parameters);
                log.info("Restarted failed run {} of {} ({})", last.getId(), job.getName(),
                        parameters.getString(UsageStatsParameters.TRIGGER));
                restarted++;
            } catch (JobExecutionAlreadyRunningException | JobInstanceAlreadyCompleteException already) {
                log.debug("Failed run {} was taken up elsewhere", last.getId());
            } catch (JobRestartException | JobParametersInvalidException e) {
                log.warn("Cannot restart run {} of {}: {}", last.getId(), job.getName(), e.toString());
            }
        }
        return restarted;
    }

    private JobExecution run(JobParameters parameters) {
        try {
            return launcher.run(job, parameters);
        } catch (JobExecutionAlreadyRunningException | JobInstanceAlreadyCompleteException | JobRestartException
                 | JobParametersInvalidException e) {
            throw new IllegalStateException("cannot launch " + job.getName(), e);
        }
    }
}
