package dev.couponhub.kit.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a message whose handling failed stays invisible before it is tried again ({@code couponhub.sqs.retry.*}):
 * {@code first-delay} after the first failed receive, doubling with every further receive, never more than
 * {@code max-delay}. With the defaults (2 s doubling, capped at 5 minutes) the retries before the queues'
 * maxReceiveCount of 12 span 2 + 4 + ... + 256 + 3 x 300 s, about 23 minutes, so a database outage of a quarter of
 * an hour sends nothing to the dead-letter queue; a constant short delay would use up the receives in seconds.
 *
 * @param enabled    whether the kit's back-off handles the failures of the service's SQS listeners
 * @param firstDelay the invisibility after the first failed receive (whole seconds, as SQS counts them)
 * @param maxDelay   the longest invisibility (at most 12 hours, SQS's limit)
 */
@ConfigurationProperties("couponhub.sqs.retry")
public record RetryBackoff(@DefaultValue("true") boolean enabled, @DefaultValue("2s") Duration firstDelay,
                           @DefaultValue("5m") Duration maxDelay) {

    /** SQS's longest visibility time-out. */
    static final long MAX_SQS_VISIBILITY_SECONDS = Duration.ofHours(12).toSeconds();

    public RetryBackoff {
        if (firstDelay.isNegative() || maxDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("couponhub.sqs.retry needs 0 <= first-delay <= max-delay");
        }
        if (maxDelay.toSeconds() > MAX_SQS_VISIBILITY_SECONDS) {
            throw new IllegalArgumentException("couponhub.sqs.retry.max-delay must be at most 12 hours");
        }
    }

    /**
     * Seconds the message stays invisible after its {@code receiveCount}-th receive failed ({@code 1} for the first
     * receive; a missing or nonsense count counts as the first).
     */
    public int delaySecondsAfter(long receiveCount) {
        long first = firstDelay.toSeconds();
        long max = maxDelay.toSeconds();
        long doublings = Math.max(0, receiveCount - 1);
        if (first == 0) {
            return 0;
        }
        // first << doublings overflows long at 63 - bitLength(first) doublings; far beyond any cap
        long delay = doublings >= Long.numberOfLeadingZeros(first) - 1 ? max : Math.min(max, first << doublings);
        return (int) delay;
    }
}
