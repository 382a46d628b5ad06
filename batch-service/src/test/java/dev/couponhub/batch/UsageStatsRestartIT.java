package dev.couponhub.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import dev.couponhub.batch.ledger.UsageLedger;
import dev.couponhub.batch.stats.UsageStatsRuns;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.explore.JobExplorer;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A run that fails part-way (a real database refusal) is restarted from its last committed chunk and ends with exact
 * figures; a run whose process died (left STARTED) is recognised as dead, marked FAILED and restarted.
 */
class UsageStatsRestartIT extends BatchItSupport {

    @Autowired
    UsageLedger ledger;

    @Autowired
    UsageStatsRuns runs;

    @Autowired
    JobExplorer explorer;

    @Autowired
    JobRepository repository;

    @Test
    void runFailingPartWayThenRestartResumesAndFiguresAreExact() {
        LocalDate day = LocalDate.parse("2026-04-02");
        long store = stores.addStore(newId());
        List<Long> coupons = List.of(newId(), newId(), newId(), newId(), newId(), newId());
        for (long coupon : coupons) {
            for (int i = 0; i <= coupon % 3; i++) {
                ledger.record(claimed(coupon, store, newId(), Instant.parse("2026-04-02T03:00:00Z")));
            }
        }
        long refused = coupons.get(4); // the third chunk of two coupon-days
        String check = "ck_test_refuse_" + refused;
        jdbc.execute("ALTER TABLE coupon_daily_stats ADD CONSTRAINT " + check + " CHECK (coupon_id <> " + refused + ")");
        JobExecution failed;
        try {
            failed = awaitEnd(runs.launch(day, day, "restart-test@" + refused));
        } finally {
            jdbc.execute("ALTER TABLE coupon_daily_stats DROP CONSTRAINT " + check);
        }
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        StepExecution failedStep = failed.getStepExecutions().iterator().next();
        assertThat(failedStep.getWriteCount()).as("chunks before the refused one were committed").isPositive();
        assertThat(figure(refused, day)).isNull();

        assertThat(restartFailedOnce()).isEqualTo(1);
        JobExecution restarted = awaitEnd(latestExecutionOf(failed));

        assertThat(restarted.getId()).isNotEqualTo(failed.getId());
        assertThat(restarted.getJobInstance().getId()).isEqualTo(failed.getJobInstance().getId());
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        StepExecution resumed = restarted.getStepExecutions().iterator().next();
        assertThat(resumed.getReadCount()).as("the restart resumes after the committed chunks")
                .isEqualTo(countCouponDays(day) - failedStep.getWriteCount());
        for (long coupon : coupons) {
            assertThat(figure(coupon, day)).as("coupon " + coupon).isEqualTo(coupon % 3 + 1);
        }
    }

    @Test
    void runLeftStartedByADeadProcessThenMarkedFailedAndRestarted() throws Exception {
        LocalDate day = LocalDate.parse("2026-04-05");
        long store = stores.addStore(newId());
        long coupon = newId();
        ledger.record(claimed(coupon, store, newId(), Instant.parse("2026-04-05T01:00:00Z")));
        ledger.record(claimed(coupon, store, newId(), Instant.parse("2026-04-05T02:00:00Z")));
        // what a crashed process leaves behind: an execution STARTED long ago that never moves again
        JobExecution dead = repository.createJobExecution("coupon-usage-stats", new JobParametersBuilder()
                .addLocalDate("from", day).addLocalDate("to", day).addString("trigger", "crashed@" + coupon)
                .toJobParameters());
        dead.setStatus(BatchStatus.STARTED);
        dead.setStartTime(LocalDateTime.now().minusHours(1));
        repository.update(dead);
        jdbc.update("UPDATE BATCH_JOB_EXECUTION SET LAST_UPDATED = ? WHERE JOB_EXECUTION_ID = ?",
                LocalDateTime.now().minusHours(1), dead.getId());

        assertThat(runs.abandonStale(Duration.ofMinutes(10))).isGreaterThanOrEqualTo(1);
        assertThat(explorer.getJobExecution(dead.getId()).getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(restartFailedOnce()).isGreaterThanOrEqualTo(1);

        JobExecution restarted = awaitEnd(latestExecutionOf(dead));
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(figure(coupon, day)).isEqualTo(2L);
    }

    private int restartFailedOnce() {
        return runs.restartFailed();
    }

    private JobExecution latestExecutionOf(JobExecution execution) {
        return explorer.getJobExecutions(execution.getJobInstance()).stream()
                .max((a, b) -> Long.compare(a.getId(), b.getId())).orElseThrow();
    }

    private JobExecution awaitEnd(JobExecution execution) {
        JobExecution[] current = new JobExecution[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            current[0] = explorer.getJobExecution(execution.getId());
            return !current[0].isRunning();
        });
        return current[0];
    }

    private Long figure(long coupon, LocalDate day) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT issued FROM coupon_daily_stats WHERE coupon_id = ? AND day = ?", coupon, day);
        return rows.isEmpty() ? null : ((Number) rows.get(0).get("issued")).longValue();
    }

    private long countCouponDays(LocalDate day) {
        Long count = jdbc.queryForObject("SELECT COUNT(DISTINCT coupon_id) FROM usage_events WHERE day = ? AND kind > 0",
                Long.class, day);
        return count == null ? 0 : count;
    }
}
