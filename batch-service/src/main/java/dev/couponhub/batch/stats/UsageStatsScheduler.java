package dev.couponhub.batch.stats;

import java.time.Clock;
import java.time.LocalDate;

import dev.couponhub.batch.config.StatsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs job {@code coupon-usage-stats} by itself: today's figures every {@code today-interval}, yesterday's once more
 * after midnight (service zone) for events that arrived late. Before each run, runs left behind by a crashed process
 * are marked FAILED and failed runs are restarted. Several instances may run this: a slot is one job instance, so it
 * runs once.
 */
@Component
@ConditionalOnProperty(name = "couponhub.stats.schedule.enabled", havingValue = "true", matchIfMissing = true)
class UsageStatsScheduler {

    private static final Logger log = LoggerFactory.getLogger(UsageStatsScheduler.class);

    private final UsageStatsRuns runs;
    private final StatsProperties properties;
    private final Clock clock;

    UsageStatsScheduler(UsageStatsRuns runs, StatsProperties properties, Clock clock) {
        this.runs = runs;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${couponhub.stats.schedule.initial-delay:30s}",
            fixedDelayString = "${couponhub.stats.schedule.today-interval:5m}")
    void today() {
        recover();
        LocalDate today = LocalDate.now(clock.withZone(properties.zone()));
        long slot = clock.millis() / properties.schedule().todayInterval().toMillis();
        runs.launchOnce(today, today, "today@" + slot);
    }

    @Scheduled(cron = "${couponhub.stats.schedule.yesterday-cron:0 10 0 * * *}",
            zone = "${couponhub.stats.zone:Asia/Seoul}")
    void yesterday() {
        recover();
        LocalDate yesterday = LocalDate.now(clock.withZone(properties.zone())).minusDays(1);
        runs.launchOnce(yesterday, yesterday, "yesterday@" + yesterday);
    }

    private void recover() {
        try {
            runs.abandonStale(properties.schedule().staleAfter());
            runs.restartFailed();
        } catch (RuntimeException e) {
            log.warn("Could not look after earlier runs: {}", e.toString());
        }
    }
}
