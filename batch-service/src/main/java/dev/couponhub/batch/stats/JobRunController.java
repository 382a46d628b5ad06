package dev.couponhub.batch.stats;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.UUID;

import dev.couponhub.batch.config.StatsProperties;
import dev.couponhub.batch.web.BatchProblem;
import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.caller.Role;
import dev.couponhub.kit.problem.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/batch/jobs/{jobName}/runs")
@Tag(name = "Batch jobs", description = "Run job coupon-usage-stats on demand and follow its runs (ADMIN only)")
class JobRunController {

    /** Body of a run request: the day to recompute (service zone); today when absent. */
    record RunRequest(LocalDate date) {
    }

    record RunStarted(long runId, String jobName, String status) {
    }

    record RunStatus(long runId, String jobName, String status, Instant startedAt, Instant endedAt, long readCount,
                     long writeCount) {
    }

    private final UsageStatsRuns runs;
    private final StatsProperties properties;
    private final Clock clock;

    JobRunController(UsageStatsRuns runs, StatsProperties properties, Clock clock) {
        this.runs = runs;
        this.properties = properties;
        this.clock = clock;
    }

    @PostMapping
    @Operation(summary = "Start a run", description = "Recomputes one day's figures (body {date}, default today in "
            + "the service zone; not in the future). Answers 202 at once; follow the run with its runId.")
    ResponseEntity<RunStarted> start(Caller caller, @PathVariable String jobName,
                                     @RequestBody(required = false) RunRequest body) {
        caller.require(Role.ADMIN);
        requireKnown(jobName);
        LocalDate today = LocalDate.now(clock.withZone(properties.zone()));
        LocalDate date = body == null || body.date() == null ? today : body.date();
        if (date.isAfter(today)) {
            throw ApiException.invalid("date", "must not be in the future");
        }
        JobExecution execution = runs.launch(date, date, "manual@" + UUID.randomUUID());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new RunStarted(execution.getId(), jobName, statusOf(execution.getStatus())));
    }

    @GetMapping("/{runId}")
    @Operation(summary = "A run's status", description = "status is STARTING, STARTED, COMPLETED or FAILED; counts "
            + "are coupon-days read from the ledger and written to the statistics. 404 JOB_NOT_FOUND for another "
            + "job name, 404 RUN_NOT_FOUND for an id that is not a run of this job.")
    RunStatus status(Caller caller, @PathVariable String jobName, @PathVariable long runId) {
        caller.require(Role.ADMIN);
        requireKnown(jobName);
        JobExecution execution = runs.find(runId).orElseThrow(() ->
                new ApiException(BatchProblem.RUN_NOT_FOUND, "Job " + jobName + " has no run " + runId + "."));
        long read = execution.getStepExecutions().stream().mapToLong(StepExecution::getReadCount).sum();
        long written = execution.getStepExecutions().stream().mapToLong(StepExecution::getWriteCount).sum();
        return new RunStatus(execution.getId(), jobName, statusOf(execution.getStatus()),
                instant(execution.getStartTime()), instant(execution.getEndTime()),
                read, written);
    }

    /** Spring Batch records times in the JVM's zone. */
    private static Instant instant(LocalDateTime time) {
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toInstant();
    }

    private void requireKnown(String jobName) {
        if (!runs.jobName().equals(jobName)) {
            throw new ApiException(BatchProblem.JOB_NOT_FOUND, "There is no job named " + jobName + ".");
        }
    }

    /** Spring Batch's statuses as docs/api.md names them: a stopped or abandoned run did not complete. */
    static String statusOf(BatchStatus status) {
        return switch (status) {
            case STARTING -> "STARTING";
            case STARTED, STOPPING -> "STARTED";
            case COMPLETED -> "COMPLETED";
            default -> "FAILED";
        };
    }
}
