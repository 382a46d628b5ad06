package dev.couponhub.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.awspring.cloud.autoconfigure.sqs.SqsAsyncClientCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;

/** The backlog gauge only for a service with SQS, meters and queues to watch, and not when switched off. */
class MessagingAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MessagingAutoConfiguration.class))
            .withBean(SqsAsyncClient.class, () -> mock(SqsAsyncClient.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("couponhub.sqs.backlog.interval=1h");

    @Test
    void queuesThenAMonitorOfEachQueueAndItsDeadLetterQueue() {
        runner.withPropertyValues("couponhub.sqs.backlog.queues=coupon-events-stats,https://sqs.local/1/other")
                .run(context -> {
                    assertThat(context).hasSingleBean(SqsBacklogMonitor.class);
                    SqsBacklogMonitor monitor = context.getBean(SqsBacklogMonitor.class);
                    assertThat(monitor.queueNames()).containsExactly("coupon-events-stats",
                            "coupon-events-stats-dlq", "other", "other-dlq");
                    assertThat(monitor.isRunning()).isTrue();
                    assertThat(context.getBean(MeterRegistry.class).get("couponhub.sqs.messages").gauges())
                            .hasSize(8);
                });
    }

    @Test
    void queuesGivenByTheServicesOwnPropertyThenThatQueue() {
        runner.withPropertyValues("couponhub.stats.events-queue=stats-it",
                        "couponhub.sqs.backlog.queues=${couponhub.stats.events-queue}")
                .run(context -> assertThat(context.getBean(SqsBacklogMonitor.class).queueNames())
                        .containsExactly("stats-it", "stats-it-dlq"));
    }

    @Test
    void theSqsClientSkipsMd5DigestsUnlessAskedFor() {
        runner.run(context -> {
            SqsAsyncClientBuilder builder = mock(SqsAsyncClientBuilder.class);
            context.getBeansOfType(SqsAsyncClientCustomizer.class).values()
                    .forEach(customizer -> customizer.customize(builder));
            verify(builder).checksumValidationEnabled(false);
        });
        runner.withPropertyValues("couponhub.sqs.md5-checks=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SqsAsyncClientCustomizer.class));
    }

    @Test
    void noQueuesThenNoMonitor() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SqsBacklogMonitor.class));
        runner.withPropertyValues("couponhub.sqs.backlog.queues=")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SqsBacklogMonitor.class));
    }

    @Test
    void disabledThenNoMonitor() {
        runner.withPropertyValues("couponhub.sqs.backlog.queues=q", "couponhub.sqs.backlog.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SqsBacklogMonitor.class));
    }

    @Test
    void noSqsClientOrNoMeterRegistryThenNoMonitor() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MessagingAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("couponhub.sqs.backlog.queues=q")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SqsBacklogMonitor.class));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MessagingAutoConfiguration.class))
                .withBean(SqsAsyncClient.class, () -> mock(SqsAsyncClient.class))
                .withPropertyValues("couponhub.sqs.backlog.queues=q")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SqsBacklogMonitor.class));
    }

    @Test
    void noSqsOnTheClassPathThenNothing() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MessagingAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(SqsAsyncClient.class))
                .withPropertyValues("couponhub.sqs.backlog.queues=q")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SqsBacklogMonitor.class)
                        .doesNotHaveBean(SqsBacklogProperties.class));
    }

    @Test
    void intervalNotPositiveThenTheServiceDoesNotStart() {
        runner.withPropertyValues("couponhub.sqs.backlog.queues=q", "couponhub.sqs.backlog.interval=0s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void everyListenerGetsTheRetryBackoffUnlessSwitchedOff() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(RetryBackoffErrorHandler.class);
            assertThat(context.getBean(RetryBackoff.class).delaySecondsAfter(3)).isEqualTo(8);
        });
        runner.withPropertyValues("couponhub.sqs.retry.first-delay=1s", "couponhub.sqs.retry.max-delay=3s")
                .run(context -> assertThat(context.getBean(RetryBackoff.class).delaySecondsAfter(5)).isEqualTo(3));
        runner.withPropertyValues("couponhub.sqs.retry.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RetryBackoffErrorHandler.class));
    }
}
