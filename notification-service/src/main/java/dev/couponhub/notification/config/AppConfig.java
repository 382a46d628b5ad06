package dev.couponhub.notification.config;

import java.time.Clock;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NotificationProperties.class, ClientsProperties.class})
class AppConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Every blocking call made for a web request (JDBC, gRPC) runs here, never on an event-loop thread: a bounded
     * pool (as many threads as the connection pool can serve) with a bounded queue.
     */
    @Bean(destroyMethod = "dispose")
    @Qualifier("blocking")
    Scheduler blockingScheduler(NotificationProperties properties) {
        return Schedulers.newBoundedElastic(properties.jdbcThreads(), 10_000, "notification-blocking");
    }
}
