package dev.couponhub.notification.config;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

@Configuration(proxyBeanMethods = false)
class RedisConfig {

    private static final Logger log = LoggerFactory.getLogger(RedisConfig.class);
    /** How long start-up waits for Redis before it gives up. */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    /**
     * Pub/sub subscriptions (the broadcast of new alerts between instances). The container connects at once; when
     * Redis is not reachable yet (or slow, as when a whole suite starts on a small machine), start-up waits and
     * tries again rather than failing.
     */
    @Bean(destroyMethod = "destroy")
    ReactiveRedisMessageListenerContainer redisListenerContainer(ReactiveRedisConnectionFactory connectionFactory)
            throws InterruptedException {
        return connectWithRetry(connectionFactory, STARTUP_WAIT);
    }

    static ReactiveRedisMessageListenerContainer connectWithRetry(ReactiveRedisConnectionFactory connectionFactory,
                                                                  Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return new ReactiveRedisMessageListenerContainer(connectionFactory);
            } catch (DataAccessException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                log.warn("Redis is not reachable yet (attempt {}): {}; trying again", attempt, e.getMessage());
                Thread.sleep(1_000);
            }
        }
    }
}
