package dev.couponhub.batch.bench;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.couponhub.batch.BatchServiceApplication;
import dev.couponhub.batch.stats.UsageStatsRuns;
import dev.couponhub.devstack.Component;
import dev.couponhub.devstack.Devstack;
import dev.couponhub.testsupport.TestDevstack;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.explore.JobExplorer;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Benchmark of job coupon-usage-stats (not a test): fills the ledger of a fresh devstack MariaDB with generated events
 * (the sizes given as arguments, default 1,000,000 and 10,000,000), then times a run of the job over all their days,
 * three times per size. Shape: 1,000 coupons, 30 days (Asia/Seoul), per 20 events 12 claims, 5 redemptions, 1
 * cancellation of the redemption just before it, 2 expiries. How to run it: load-tests/README.md.
 */
public final class StatsJobBenchmark {

    private static final int COUPONS = 1_000;
    private static final int DAYS = 30;
    private static final LocalDate FIRST_DAY = LocalDate.parse("2026-01-01");
    private static final int RUNS_PER_SIZE = 3;

    private StatsJobBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> sizes = new ArrayList<>();
        for (String arg : args) {
            sizes.add(Long.parseLong(arg.replace("_", "")));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1_000_000L, 10_000_000L);
        }
        Devstack devstack = TestDevstack.start(Component.MARIADB);
        SpringApplication app = new SpringApplication(BatchServiceApplication.class);
        // command-line arguments: they take precedence over application.yml
        String[] settings = {
            "--spring.datasource.url=" + devstack.jdbcUrl("batch_db"),
            "--spring.datasource.username=" + devstack.dbUser("batch"),
            "--spring.datasource.password=" + devstack.dbPassword("batch"),
            "--server.port=0",
            "--couponhub.stats.schedule.enabled=false",
            "--couponhub.stats.listener-enabled=false",
            "--spring.cloud.aws.sqs.enabled=false",
            "--spring.cloud.aws.region.static=us-east-1",
            "--grpc.client.store-service.address=static://127.0.0.1:1",
            "--logging.level.root=WARN",
        };
        try (ConfigurableApplicationContext context = app.run(settings)) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            UsageStatsRuns runs = context.getBean(UsageStatsRuns.class);
            JobExplorer explorer = context.getBean(JobExplorer.class);
            long filled = 0;
            System.out.printf(Locale.ROOT, "%n=== coupon-usage-stats benchmark: %d coupons, %d days ===%n", COUPONS, DAYS);
            for (long size : sizes) {
                long started = System.nanoTime();
                fill(jdbc, filled, size);
                filled = size;
                System.out.printf(Locale.ROOT, "ledger rows: %,d (generated in %.1f s)%n", size, seconds(started));
                for (int run = 1; run <= RUNS_PER_SIZE; run++) {
                    long begin = System.nanoTime();
                    JobExecution execution = runs.launch(FIRST_DAY, FIRST_DAY.plusDays(DAYS - 1),
                            "benchmark@" + size + "-" + run + "-" + System.nanoTime());
                    while (true) {
                        execution = explorer.getJobExecution(execution.getId());
                        if (!execution.isRunning()) {
                            break;
                        }
                        Thread.sleep(5);
                    }
                    double elapsed = seconds(begin);
                    StepExecution step = execution.getStepExecutions().iterator().next();
                    System.out.printf(Locale.ROOT, "  run %d: %s in %.2f s, %,d coupon-days read, %,d written, "
                                    + "%,.0f ledger rows/s%n", run, execution.getStatus(), elapsed, step.getReadCount(),
                            step.getWriteCount(), size / elapsed);
                }
                long issued = jdbc.queryForObject("SELECT SUM(issued) FROM coupon_daily_stats", Long.class);
                System.out.printf(Locale.ROOT, "  check: sum(issued) %,d, expected %,d%n", issued, size / 20 * 12
                        + Math.min(12, size % 20));
            }
        }
        System.exit(0);
    }

    /** Adds ledger rows {@code from} (inclusive) to {@code to} (exclusive), generated in the database itself. */
    private static void fill(JdbcTemplate jdbc, long from, long to) {
        long chunk = 500_000;
        for (long start = from; start < to; start += chunk) {
            long end = Math.min(to, start + chunk);
            String sql = """
                    INSERT INTO usage_events (event_id, type, kind, coupon_id, store_id, issued_coupon_id, order_id,
                                              discount_amount, redemption_cancelled, occurred_at, day, received_at)
                    SELECT CONCAT('bench-', g.seq),
                           ELT(g.kind + 1, 'COUPON_PUBLISHED', 'COUPON_CLAIMED', 'COUPON_REDEEMED',
                               'COUPON_REDEMPTION_CANCELLED', 'COUPON_EXPIRED'),
                           g.kind,
                           1 + g.seq MOD :coupons,
                           1 + g.seq MOD 50,
                           CASE WHEN g.kind = 3 THEN g.seq - 1 ELSE g.seq END,
                           CASE WHEN g.kind = 2 THEN CONCAT('o', g.seq)
                                WHEN g.kind = 3 THEN CONCAT('o', g.seq - 1) END,
                           CASE WHEN g.kind IN (2, 3) THEN 500 + g.seq MOD 1000 ELSE 0 END,
                           g.kind = 2 AND g.seq MOD 20 = 16,
                           g.at, DATE(g.at + INTERVAL 9 HOUR), NOW(6)
                    FROM (SELECT s.seq,
                                 CASE WHEN s.seq MOD 20 < 12 THEN 1 WHEN s.seq MOD 20 < 17 THEN 2
                                      WHEN s.seq MOD 20 = 17 THEN 3 ELSE 4 END AS kind,
                                 TIMESTAMP('2025-12-31 15:00:00')
                                     + INTERVAL ((s.seq DIV 20 * 20) MOD :span + s.seq MOD 20) SECOND AS at
                          FROM seq_:from_to_:to s) g
                    """
                    .replace(":coupons", Integer.toString(COUPONS))
                    .replace(":span", Integer.toString(DAYS * 86_400 - 20))
                    .replace(":from", Long.toString(start))
                    .replace(":to", Long.toString(end - 1));
            // seq_<a>_to_<b> is MariaDB's Sequence engine: a virtual table of the integers a..b
            jdbc.update(sql);
        }
        jdbc.execute("ANALYZE TABLE usage_events");
    }

    private static double seconds(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toNanos() / 1e9;
    }
}
