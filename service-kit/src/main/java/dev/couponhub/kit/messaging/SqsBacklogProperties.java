package dev.couponhub.kit.messaging;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The backlog gauge of the queues a service consumes and of their dead-letter queues ({@code couponhub.sqs.backlog.*}).
 *
 * @param enabled  whether this instance asks SQS for the queue sizes at all
 * @param interval pause between two readings
 * @param timeout  longest wait for one SQS call; a reading that takes longer reports no value (NaN)
 * @param queues   the consumed queues, each a name or a URL; each one's dead-letter queue {@code <queue>-dlq} is
 *                 watched too. None: no gauge. A service usually points this at its own queue property, e.g.
 *                 {@code queues: ${couponhub.stats.events-queue}}
 */
@ConfigurationProperties("couponhub.sqs.backlog")
public record SqsBacklogProperties(@DefaultValue("true") boolean enabled, @DefaultValue("15s") Duration interval,
                                   @DefaultValue("3s") Duration timeout, @DefaultValue List<String> queues) {

    public SqsBacklogProperties {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("couponhub.sqs.backlog.interval must be positive");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("couponhub.sqs.backlog.timeout must be positive");
        }
        queues = queues == null ? List.of() : queues.stream().map(String::strip).filter(q -> !q.isEmpty()).toList();
    }
}
