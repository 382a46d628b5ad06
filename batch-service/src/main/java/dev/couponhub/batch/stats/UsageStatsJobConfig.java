package dev.couponhub.batch.stats;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import dev.couponhub.batch.config.StatsProperties;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.item.database.JdbcBatchItemWriter;
import org.springframework.batch.item.database.JdbcCursorItemReader;
import org.springframework.batch.item.database.builder.JdbcBatchItemWriterBuilder;
import org.springframework.batch.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Job {@code coupon-usage-stats}: for each day from {@code from} to {@code to} (job parameters, dates in the service
 * zone) and each coupon with events that day, counts issued, redeemed, cancelled and expired events and sums the
 * discount of that day's redemptions that were not cancelled, then writes the figures over whatever an earlier run
 * wrote. The database does the counting (one grouped query over an index of the ledger); the step streams its rows
 * in chunks, one transaction per chunk. A failed run restarts from its last committed chunk; a rerun recomputes
 * every day of its range from the whole ledger, so late events are counted and nothing is counted twice.
 */
@Configuration(proxyBeanMethods = false)
class UsageStatsJobConfig {

    static final String JOB_NAME = "coupon-usage-stats";

    /**
     * A redemption counts towards {@code discountTotal} unless it is flagged cancelled (the ledger flags it when a
     * cancellation of the same issued coupon and order, at or after it, is recorded). Everything comes from the index
     * {@code ix_usage_events_day}.
     */
    static final String AGGREGATE = """
            SELECT coupon_id, day,
                   SUM(kind = 1) AS issued,
                   SUM(kind = 2) AS redeemed,
                   SUM(kind = 3) AS cancelled,
                   SUM(kind = 4) AS expired,
                   SUM(CASE WHEN kind = 2 AND NOT redemption_cancelled THEN discount_amount ELSE 0 END)
                       AS discount_total
            FROM usage_events
            WHERE day BETWEEN ? AND ? AND kind > 0
            GROUP BY day, coupon_id
            ORDER BY day, coupon_id""";

    static final String UPSERT = """
            INSERT INTO coupon_daily_stats
                (coupon_id, day, issued, redeemed, cancelled, expired, discount_total, computed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE issued = VALUES(issued), redeemed = VALUES(redeemed),
                cancelled = VALUES(cancelled), expired = VALUES(expired),
                discount_total = VALUES(discount_total), computed_at = VALUES(computed_at)""";

    @Bean
    Job couponUsageStatsJob(JobRepository jobs, Step aggregateDailyStats) {
        return new JobBuilder(JOB_NAME, jobs)
                .validator(new UsageStatsParameters.Validator())
                .start(aggregateDailyStats)
                .build();
    }

    @Bean
    Step aggregateDailyStats(JobRepository jobs, PlatformTransactionManager transactions,
                             JdbcCursorItemReader<DailyStat> dailyStatsReader, JdbcBatchItemWriter<DailyStat> dailyStatsWriter,
                             StatsProperties properties) {
        return new StepBuilder("aggregate-daily-stats", jobs)
                .<DailyStat, DailyStat>chunk(properties.chunkSize(), transactions)
                .reader(dailyStatsReader)
                .writer(dailyStatsWriter)
                .build();
    }

    @Bean
    @StepScope
    JdbcCursorItemReader<DailyStat> dailyStatsReader(DataSource dataSource,
                                                     @Value("#{jobParameters['from']}") LocalDate from,
                                                     @Value("#{jobParameters['to']}") LocalDate to) {
        return new JdbcCursorItemReaderBuilder<DailyStat>()
                .name("dailyStatsReader")
                .dataSource(dataSource)
                .sql(AGGREGATE)
                .queryArguments(from, to)
                .fetchSize(Integer.MIN_VALUE) // Connector/J streams the rows instead of buffering them all
                .verifyCursorPosition(false)
                .rowMapper((rs, row) -> new DailyStat(rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)))
                .build();
    }

    @Bean
    JdbcBatchItemWriter<DailyStat> dailyStatsWriter(DataSource dataSource, Clock clock) {
        return new JdbcBatchItemWriterBuilder<DailyStat>()
                .dataSource(dataSource)
                .sql(UPSERT)
                .itemPreparedStatementSetter((stat, ps) -> {
                    ps.setLong(1, stat.couponId());
                    ps.setObject(2, stat.day());
                    ps.setLong(3, stat.issued());
                    ps.setLong(4, stat.redeemed());
                    ps.setLong(5, stat.cancelled());
                    ps.setLong(6, stat.expired());
                    ps.setLong(7, stat.discountTotal());
                    ps.setObject(8, LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                })
                .assertUpdates(false)
                .build();
    }
}
