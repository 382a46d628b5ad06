package dev.couponhub.notification.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.couponhub.devstack.Component;
import dev.couponhub.testsupport.TcpProxy;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/** Start-up does not fail when Redis comes up a little later than notification-service (real Redis, via a proxy). */
class RedisStartupIT {

    @Test
    void redisReachableOnlyAfterAFewSecondsThenTheListenerContainerStillStarts() throws Exception {
        int redisPort = TestDevstack.start(Component.REDIS).redisPort();
        try (TcpProxy proxy = new TcpProxy(redisPort)) {
            LettuceConnectionFactory factory = factory(proxy.port());
            CompletableFuture<Void> opening = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(2_500);
                    proxy.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ReactiveRedisMessageListenerContainer container =
                    RedisConfig.connectWithRetry(factory, Duration.ofSeconds(30));
            opening.get(10, TimeUnit.SECONDS);

            assertThat(container).isNotNull();
            container.destroy();
            factory.destroy();
        }
    }

    @Test
    void redisNeverReachableThenStartUpFailsAfterTheWait() {
        try (TcpProxy closed = new TcpProxy(1)) {
            LettuceConnectionFactory factory = factory(closed.port());
            long started = System.nanoTime();

            assertThatThrownBy(() -> RedisConfig.connectWithRetry(factory, Duration.ofSeconds(2)))
                    .isInstanceOf(DataAccessException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            factory.destroy();
        }
    }

    private static LettuceConnectionFactory factory(int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", port),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(1)).build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
