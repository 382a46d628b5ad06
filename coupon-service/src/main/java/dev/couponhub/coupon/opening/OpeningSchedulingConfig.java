package dev.couponhub.coupon.opening;

import dev.couponhub.coupon.config.OpeningProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Runs the opening job every {@code couponhub.opening.interval}. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnProperty(name = "couponhub.opening.enabled", havingValue = "true", matchIfMissing = true)
class OpeningSchedulingConfig implements SchedulingConfigurer {

    private final OpeningJob job;
    private final OpeningProperties properties;

    OpeningSchedulingConfig(OpeningJob job, OpeningProperties properties) {
        this.job = job;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(job::runScheduled, properties.interval());
    }
}
