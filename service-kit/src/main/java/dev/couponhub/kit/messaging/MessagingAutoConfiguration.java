package dev.couponhub.kit.messaging;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * SQS mechanisms every consumer uses the same way. Today: the backlog gauge {@code couponhub.sqs.messages{queue,
 * state}} of the queues listed in {@code couponhub.sqs.backlog.queues} (and of their dead-letter queues), read with the
 * service's {@link SqsAsyncClient} and published to its {@link MeterRegistry}. A service without SQS, without a
 * meter registry or without listed queues gets nothing; {@code couponhub.sqs.backlog.enabled=false} switches it off.
 *
 * <p>{@link DeadLetters} moves single events of a message that carries several ({@link EventMessages}) to the queue's
 * dead-letter queue. {@link RetryBackoffErrorHandler} gives every listener of Spring Cloud AWS's default container
 * factory the same retries: a failed message comes back after a delay that doubles with its receive count
 * ({@link RetryBackoff}, {@code couponhub.sqs.retry.*}).
 */
@AutoConfiguration(afterName = {"io.awspring.cloud.autoconfigure.sqs.SqsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({SqsAsyncClient.class, MeterRegistry.class})
public class MessagingAutoConfiguration {

    /** Longest wait for SQS to take one dead-lettered event; the message is retried when it does not. */
    static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(10);

    static final String QUEUES = "couponhub.sqs.backlog.queues";

    /**
     * The SQS client computes an MD5 digest of every message body it sends and receives, and compares it with the one
     * SQS answers. Over HTTPS (every AWS endpoint) TLS already guarantees the bytes arrived as sent, so the digests
     * protect against nothing and cost CPU per message (several per cent of coupon-service's CPU during a stampede,
     * {@code docs/benchmarks.md}). {@code couponhub.sqs.md5-checks=true} turns them back on, for an endpoint reached
     * over plain HTTP across a network.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.awspring.cloud.autoconfigure.sqs.SqsAsyncClientCustomizer")
    @ConditionalOnProperty(name = "couponhub.sqs.md5-checks", havingValue = "false", matchIfMissing = true)
    static class WithoutMd5Checks {

        @Bean
        io.awspring.cloud.autoconfigure.sqs.SqsAsyncClientCustomizer couponhubSqsWithoutMd5Checks() {
            return builder -> builder.checksumValidationEnabled(false);
        }
    }

    /** Single events to a queue's dead-letter queue, for consumers of messages that carry several events. */
    @Bean
    @ConditionalOnBean(SqsAsyncClient.class)
    @ConditionalOnMissingBean
    DeadLetters deadLetters(SqsAsyncClient sqs, ObjectProvider<MeterRegistry> meters) {
        return new DeadLetters(sqs, DEAD_LETTER_TIMEOUT, meters.getIfAvailable());
    }

    /**
     * The retries of every SQS listener: Spring Cloud AWS's default listener container factory takes the one
     * {@code AsyncErrorHandler} bean there is. A service that declares its own handler keeps it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.awspring.cloud.sqs.listener.errorhandler.AsyncErrorHandler")
    @ConditionalOnProperty(name = "couponhub.sqs.retry.enabled", havingValue = "true", matchIfMissing = true)
    @EnableConfigurationProperties(RetryBackoff.class)
    static class Retries {

        @Bean
        @ConditionalOnMissingBean(io.awspring.cloud.sqs.listener.errorhandler.AsyncErrorHandler.class)
        RetryBackoffErrorHandler couponhubSqsRetryBackoff(RetryBackoff backoff) {
            return new RetryBackoffErrorHandler(backoff);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean({SqsAsyncClient.class, MeterRegistry.class})
    @ConditionalOnProperty(name = "couponhub.sqs.backlog.enabled", havingValue = "true", matchIfMissing = true)
    @Conditional(OnBacklogQueues.class)
    @EnableConfigurationProperties(SqsBacklogProperties.class)
    static class Backlog {

        @Bean
        @ConditionalOnMissingBean
        SqsBacklogMonitor sqsBacklogMonitor(SqsAsyncClient sqs, SqsBacklogProperties properties,
                                            MeterRegistry meters) {
            return new SqsBacklogMonitor(sqs, properties, meters);
        }
    }

    /** Matches when {@code couponhub.sqs.backlog.queues} names at least one queue. */
    static final class OnBacklogQueues extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            List<String> queues = Binder.get(context.getEnvironment())
                    .bind(QUEUES, Bindable.listOf(String.class))
                    .orElse(List.of())
                    .stream().filter(queue -> !queue.isBlank()).toList();
            return queues.isEmpty()
                    ? ConditionOutcome.noMatch(QUEUES + " names no queue")
                    : ConditionOutcome.match(QUEUES + " " + queues);
        }
    }
}
