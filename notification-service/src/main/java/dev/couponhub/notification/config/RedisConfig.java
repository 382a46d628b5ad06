package dev.couponhub.notification.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

@Configuration(proxyBeanMethods = false)
class RedisConfig {

    /** Pub/sub subscriptions (the broadcast of new alerts between instances). */
    @Bean(destroyMethod = "destroy")
    ReactiveRedisMessageListenerContainer redisListenerContainer(ReactiveRedisConnectionFactory connectionFactory) {
        return new ReactiveRedisMessageListenerContainer(connectionFactory);
    }
}
