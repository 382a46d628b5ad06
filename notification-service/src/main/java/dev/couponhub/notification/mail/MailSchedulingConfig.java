package dev.couponhub.notification.mail;

import dev.couponhub.notification.config.NotificationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Runs the mail sender every {@code couponhub.notification.mail.interval}. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnProperty(name = "couponhub.notification.mail.enabled", havingValue = "true", matchIfMissing = true)
class MailSchedulingConfig implements SchedulingConfigurer {

    private final MailRelay relay;
    private final NotificationProperties properties;

    MailSchedulingConfig(MailRelay relay, NotificationProperties properties) {
        this.relay = relay;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(relay::runScheduled, properties.mail().interval());
    }
}
