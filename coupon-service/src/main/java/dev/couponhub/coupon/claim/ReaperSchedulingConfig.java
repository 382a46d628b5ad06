package dev.couponhub.coupon.claim;

import dev.couponhub.coupon.config.ClaimProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Runs the reservation reaper every {@code couponhub.claims.reaper-interval}. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ReaperSchedulingConfig implements SchedulingConfigurer {

    private final ReservationReaper reaper;
    private final ClaimProperties properties;

    ReaperSchedulingConfig(ReservationReaper reaper, ClaimProperties properties) {
        this.reaper = reaper;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(reaper::runScheduled, properties.reaperInterval());
    }
}
