package dev.couponhub.coupon.config;

import dev.couponhub.coupon.events.OutboxRelay;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Runs the outbox relay every {@code couponhub.outbox.relay.interval} and the purge every {@code purge-interval}. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnProperty(name = "couponhub.outbox.relay.enabled", havingValue = "true", matchIfMissing = true)
class OutboxSchedulingConfig implements SchedulingConfigurer {

    private final OutboxRelay relay;
    private final OutboxProperties properties;

    OutboxSchedulingConfig(OutboxRelay relay, OutboxProperties properties) {
        this.relay = relay;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(relay::runScheduled, properties.relay().interval());
        registrar.addFixedDelayTask(relay::purgeScheduled, properties.purgeInterval());
    }
}
