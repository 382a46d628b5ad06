package dev.couponhub.gateway.ratelimit;

import java.util.List;

import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.couponhub.gateway.config.RateLimitProperties;

@Configuration(proxyBeanMethods = false)
class RateLimiterConfiguration {

    /**
     * Gateway's Redis token bucket, with one configuration per caller tier (used as the "route id" of
     * {@link RedisRateLimiter#isAllowed}, so all routes share a caller's bucket).
     */
    @Bean
    RedisRateLimiter redisRateLimiter(ReactiveStringRedisTemplate redisTemplate,
                                      RedisScript<List<Long>> redisRequestRateLimiterScript,
                                      ConfigurationService configurationService,
                                      RateLimitProperties properties) {
        RedisRateLimiter limiter = new RedisRateLimiter(redisTemplate, redisRequestRateLimiterScript,
                configurationService);
        limiter.getConfig().put(RateLimitFilter.AUTHENTICATED_TIER, config(properties.authenticated()));
        limiter.getConfig().put(RateLimitFilter.ANONYMOUS_TIER, config(properties.anonymous()));
        return limiter;
    }

    private static RedisRateLimiter.Config config(RateLimitProperties.Tier tier) {
        return new RedisRateLimiter.Config()
                .setReplenishRate(tier.replenishRate())
                .setBurstCapacity(tier.burstCapacity())
                .setRequestedTokens(1);
    }
}
