package dev.couponhub.coupon.expiry;

import dev.couponhub.coupon.config.ExpiryProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Runs the expiry job every {@code couponhub.expiry.interval}. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnProperty(name = "couponhub.expiry.enabled", havingValue = "true", matchIfMissing = true)
class ExpirySchedulingConfig implements SchedulingConfigurer {

    private final ExpiryJob job;
    private final ExpiryProperties properties;

    ExpirySchedulingConfig(ExpiryJob job, ExpiryProperties properties) {
        this.job = job;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(job::runScheduled, properties.interval());
    }
}
