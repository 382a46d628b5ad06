package dev.couponhub.coupon.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The coupon-event outbox and its relay to SQS.
 *
 * @param queues        the SQS queues every event goes to: queue names, resolved to their URLs, or full queue URLs
 * @param retention     sent events are deleted this long after they were sent
 * @param purgeInterval how often sent events past their retention are deleted
 * @param relay         how unsent events are sent
 */
@ConfigurationProperties("couponhub.outbox")
public record OutboxProperties(
        @DefaultValue({"coupon-events-notification", "coupon-events-stats"}) java.util.List<String> queues,
        @DefaultValue("7d") Duration retention,
        @DefaultValue("1h") Duration purgeInterval,
        @DefaultValue Relay relay) {

    public OutboxProperties {
        if (queues == null || queues.isEmpty() || queues.stream().anyMatch(q -> q == null || q.isBlank())) {
            throw new IllegalArgumentException("couponhub.outbox.queues must name at least one queue, none blank");
        }
        requirePositive(retention, "retention");
        requirePositive(purgeInterval, "purge-interval");
    }

    /**
     * @param enabled        whether this instance runs the relay and the purge on a schedule (several instances may:
     *                       each event is sent by one of them)
     * @param interval       pause between two relay runs
     * @param batchSize      most events locked and sent by one run (a run that finds a full batch goes on at once)
     * @param sendTimeout    longest wait for SQS in one run; an event not acknowledged by then is retried later
     * @param initialBackoff wait before the first retry of an event that could not be sent; doubles on each failure
     * @param maxBackoff     longest wait between two retries of an event
     */
    public record Relay(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("200ms") Duration interval,
            @DefaultValue("100") int batchSize,
            @DefaultValue("10s") Duration sendTimeout,
            @DefaultValue("1s") Duration initialBackoff,
            @DefaultValue("5m") Duration maxBackoff) {

        public Relay {
            requirePositive(interval, "relay.interval");
            requirePositive(sendTimeout, "relay.send-timeout");
            requirePositive(initialBackoff, "relay.initial-backoff");
            requirePositive(maxBackoff, "relay.max-backoff");
            if (batchSize < 1 || batchSize > 1000) {
                throw new IllegalArgumentException("couponhub.outbox.relay.batch-size must be 1..1000");
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("couponhub.outbox.relay.max-backoff must not be below initial-backoff");
            }
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("couponhub.outbox." + name + " must be positive");
        }
    }
}
