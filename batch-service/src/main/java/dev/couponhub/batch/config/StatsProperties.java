package dev.couponhub.batch.config;

import java.time.Duration;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Usage statistics.
 *
 * @param zone          the service zone: an event counts on the calendar day of its {@code occurredAt} here
 * @param eventsQueue   the queue of coupon events for batch-service
 * @param listenerEnabled whether this instance consumes the queue
 * @param chunkSize     coupon-days written per chunk (one transaction) by the job
 * @param maxRangeDays  longest range the stats endpoint answers for
 * @param schedule      when the job runs by itself
 */
@ConfigurationProperties("couponhub.stats")
public record StatsProperties(@DefaultValue("Asia/Seoul") ZoneId zone,
                              @DefaultValue("coupon-events-stats") String eventsQueue,
                              @DefaultValue("true") boolean listenerEnabled,
                              @DefaultValue("1000") int chunkSize,
                              @DefaultValue("366") int maxRangeDays,
                              @DefaultValue Schedule schedule) {

    public StatsProperties {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("couponhub.stats.chunk-size must be positive");
        }
    }

    /**
     * @param enabled       whether the job runs by itself at all
     * @param todayInterval how often today's figures are recomputed
     * @param yesterdayCron when yesterday is recomputed once more (in the service zone), for events that arrived late
     * @param staleAfter    a run that has not written anything for this long is taken for dead (its process
     *                      crashed): it is marked FAILED and restarted
     */
    public record Schedule(@DefaultValue("true") boolean enabled, @DefaultValue("5m") Duration todayInterval,
                           @DefaultValue("0 10 0 * * *") String yesterdayCron,
                           @DefaultValue("10m") Duration staleAfter) {
    }
}
