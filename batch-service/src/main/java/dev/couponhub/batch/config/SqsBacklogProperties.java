package dev.couponhub.batch.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The backlog gauge of the consumed queue and its dead-letter queue ({@code couponhub.sqs.backlog.*}).
 *
 * @param enabled  whether this instance asks SQS for the queue sizes at all
 * @param interval pause between two readings
 * @param timeout  longest wait for one SQS call; a reading that takes longer reports no value (NaN)
 */
@ConfigurationProperties("couponhub.sqs.backlog")
public record SqsBacklogProperties(@DefaultValue("true") boolean enabled, @DefaultValue("15s") Duration interval,
                                   @DefaultValue("3s") Duration timeout) {

    public SqsBacklogProperties {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("couponhub.sqs.backlog.interval must be positive");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("couponhub.sqs.backlog.timeout must be positive");
        }
    }
}
