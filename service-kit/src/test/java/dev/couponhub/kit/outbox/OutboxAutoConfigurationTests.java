package dev.couponhub.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.ScheduledAnnotationBeanPostProcessor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The outbox is there for services that name their queues, and only for them; its relay is scheduled unless switched
 * off. What the service brings (data source, transaction manager, SQS client) is stubbed: nothing here is sent.
 */
class OutboxAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OutboxAutoConfiguration.class,
                    TaskSchedulingAutoConfiguration.class))
            .withBean(JdbcTemplate.class, () -> new JdbcTemplate(mock(DataSource.class)))
            .withBean(PlatformTransactionManager.class, () -> mock(PlatformTransactionManager.class))
            .withBean(SqsAsyncClient.class, () -> mock(SqsAsyncClient.class))
            .withBean(ObjectMapper.class, ObjectMapper::new)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            // the scheduled runs would find no database here: keep them from starting during the test
            .withPropertyValues("couponhub.outbox.relay.interval=1h", "couponhub.outbox.purge-interval=1h");

    @Test
    void noQueueNamedThenNoOutbox() {
        runner.withPropertyValues("couponhub.outbox.relay.enabled=true", "couponhub.outbox.retention=7d")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(Outbox.class)
                        .doesNotHaveBean(OutboxRelay.class)
                        .doesNotHaveBean(OutboxProperties.class)
                        .doesNotHaveBean(ThreadPoolTaskScheduler.class));
    }

    @Test
    void queueNamedThenOutboxAndRelayScheduledOnBootsTaskScheduler() {
        runner.withPropertyValues("couponhub.outbox.queue=store-events-coupon").run(context -> {
            assertThat(context).hasSingleBean(Outbox.class).hasSingleBean(OutboxRelay.class)
                    .hasSingleBean(OutboxAutoConfiguration.Scheduling.class)
                    .hasSingleBean(ThreadPoolTaskScheduler.class);
            assertThat(context.getBean(OutboxProperties.class).destinations()).containsExactly("store-events-coupon");
            Set<Duration> delays = context.getBean(ScheduledAnnotationBeanPostProcessor.class).getScheduledTasks()
                    .stream().map(ScheduledTask::getTask).filter(FixedDelayTask.class::isInstance)
                    .map(task -> ((FixedDelayTask) task).getIntervalDuration()).collect(Collectors.toSet());
            assertThat(delays).containsExactly(Duration.ofHours(1));
            assertThat(context.getBean(OutboxAutoConfiguration.Scheduling.class)).isNotNull();
        });
    }

    @Test
    void queuesAsAYamlListThenOutboxThatFansOut() {
        runner.withPropertyValues("couponhub.outbox.queues[0]=coupon-events-notification",
                "couponhub.outbox.queues[1]=coupon-events-stats").run(context -> {
            assertThat(context).hasSingleBean(Outbox.class);
            OutboxProperties properties = context.getBean(OutboxProperties.class);
            assertThat(properties.fansOut()).isTrue();
            assertThat(properties.destinations()).containsExactly("coupon-events-notification", "coupon-events-stats");
        });
    }

    @Test
    void relayDisabledThenOutboxAndRelayButNothingScheduled() {
        runner.withPropertyValues("couponhub.outbox.queue=q", "couponhub.outbox.relay.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(Outbox.class).hasSingleBean(OutboxRelay.class)
                        .doesNotHaveBean(OutboxAutoConfiguration.Scheduling.class)
                        .doesNotHaveBean(ThreadPoolTaskScheduler.class));
    }

    @Test
    void queuesSetButEmptyThenStartRefused() {
        runner.withPropertyValues("couponhub.outbox.queues=").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("couponhub.outbox.queue"));
    }

    @Test
    void withoutSqsOrJdbcOnTheClassPathThenNoOutbox() {
        runner.withPropertyValues("couponhub.outbox.queue=q")
                .withClassLoader(new FilteredClassLoader(SqsAsyncClient.class))
                .run(context -> assertThat(context).doesNotHaveBean(Outbox.class));
        runner.withPropertyValues("couponhub.outbox.queue=q")
                .withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
                .run(context -> assertThat(context).doesNotHaveBean(Outbox.class));
    }

    @Test
    void appendOutsideATransactionThenRefused() {
        runner.withPropertyValues("couponhub.outbox.queue=q").run(context -> {
            Outbox outbox = context.getBean(Outbox.class);

            assertThatThrownBy(() -> outbox.append(new Ping(1))).isInstanceOf(IllegalTransactionStateException.class);
            assertThatThrownBy(() -> outbox.appendAll(List.of()))
                    .isInstanceOf(IllegalTransactionStateException.class);
        });
    }

    @Test
    void appendInATransactionOnAnotherDataSourceThenRefused() {
        runner.withPropertyValues("couponhub.outbox.queue=q").run(context -> {
            Outbox outbox = context.getBean(Outbox.class);
            TransactionSynchronizationManager.setActualTransactionActive(true);
            try {
                assertThatThrownBy(() -> outbox.append(new Ping(1)))
                        .isInstanceOf(IllegalTransactionStateException.class)
                        .hasMessageContaining("DataSource");
            } finally {
                TransactionSynchronizationManager.setActualTransactionActive(false);
            }
        });
    }

    @Test
    void autoConfigurationIsListedForServices() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
                .contains(OutboxAutoConfiguration.class.getName());
    }

    record Ping(long id) implements OutboxEvent {
        @Override
        public String type() {
            return "PING";
        }

        @Override
        public long aggregateId() {
            return id;
        }
    }
}
