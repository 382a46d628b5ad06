package dev.couponhub.kit.outbox;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.kit.tracing.TraceContexts;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The transactional outbox of a service that publishes events: {@link Outbox} to store events in the transaction of
 * the change, {@link OutboxRelay} to send them to SQS, run every {@code couponhub.outbox.relay.interval} (and the
 * purge every {@code couponhub.outbox.purge-interval}) unless {@code couponhub.outbox.relay.enabled} is false.
 *
 * <p>On when the service names its queue(s) ({@code couponhub.outbox.queue} or {@code couponhub.outbox.queues}, see
 * {@link OutboxProperties}); services that publish nothing set neither and get nothing. Needs from the service: a
 * {@code JdbcTemplate} and a {@code PlatformTransactionManager} on the same {@code DataSource} (a JPA one is fine), an
 * {@code SqsAsyncClient} (Spring Cloud AWS), an {@code ObjectMapper} and a {@code MeterRegistry}; a {@code Clock}
 * bean is used when there is one.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
        HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class, JacksonAutoConfiguration.class},
        afterName = "io.awspring.cloud.autoconfigure.sqs.SqsAutoConfiguration",
        // @EnableScheduling below must be seen before Boot decides whether to make its task scheduler
        before = TaskSchedulingAutoConfiguration.class)
@ConditionalOnClass({JdbcTemplate.class, PlatformTransactionManager.class, SqsAsyncClient.class, MeterRegistry.class})
@Conditional(OnOutboxQueuesCondition.class)
@EnableConfigurationProperties(OutboxProperties.class)
public class OutboxAutoConfiguration {

    @Bean
    Outbox outbox(JdbcTemplate jdbc, ObjectMapper json, ObjectProvider<Clock> clock, OutboxProperties properties,
                  ObjectProvider<TraceContexts> traces) {
        return new Outbox(jdbc, json, clock.getIfAvailable(Clock::systemUTC), properties,
                traces.getIfAvailable(() -> TraceContexts.NONE));
    }

    @Bean
    OutboxRelay outboxRelay(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, SqsAsyncClient sqs,
                            OutboxProperties properties, ObjectProvider<Clock> clock, MeterRegistry meters) {
        return new OutboxRelay(jdbc, transactionManager, sqs, properties, clock.getIfAvailable(Clock::systemUTC),
                meters);
    }

    /** Runs the relay every {@code couponhub.outbox.relay.interval} and the purge every {@code purge-interval}. */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @ConditionalOnProperty(name = "couponhub.outbox.relay.enabled", havingValue = "true", matchIfMissing = true)
    static class Scheduling implements SchedulingConfigurer {

        private final OutboxRelay relay;
        private final OutboxProperties properties;

        Scheduling(OutboxRelay relay, OutboxProperties properties) {
            this.relay = relay;
            this.properties = properties;
        }

        @Override
        public void configureTasks(ScheduledTaskRegistrar registrar) {
            registrar.addFixedDelayTask(relay::runScheduled, properties.relay().interval());
            registrar.addFixedDelayTask(relay::purgeScheduled, properties.purgeInterval());
        }
    }
}
