package dev.couponhub.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token buckets per caller, kept in Redis.
 *
 * @param enabled switch rate limiting off entirely
 * @param authenticated bucket of a signed-in caller (key {@code user:<id>}); default 50/s, burst 100
 * @param anonymous bucket of an anonymous caller (key {@code ip:<address>}); default 20/s, burst 40
 * @param trustedProxyHops how many proxies in front of the gateway append to {@code X-Forwarded-For};
 *        0 (default) uses the TCP peer address, which a client cannot forge
 * @param timeout how long to wait for Redis before letting the request through (fail open)
 */
@ConfigurationProperties("couponhub.gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        Tier authenticated,
        Tier anonymous,
        @DefaultValue("0") int trustedProxyHops,
        @DefaultValue("500ms") Duration timeout) {

    public RateLimitProperties {
        authenticated = authenticated != null ? authenticated : new Tier(50, 100);
        anonymous = anonymous != null ? anonymous : new Tier(20, 40);
        if (trustedProxyHops < 0) {
            throw new IllegalArgumentException("couponhub.gateway.rate-limit.trusted-proxy-hops must not be negative");
        }
    }

    /**
     * @param replenishRate tokens added per second
     * @param burstCapacity bucket size, at least the replenish rate
     */
    public record Tier(int replenishRate, int burstCapacity) {

        public Tier {
            if (replenishRate < 1) {
                throw new IllegalArgumentException("replenish-rate must be at least 1, was " + replenishRate);
            }
            if (burstCapacity < replenishRate) {
                throw new IllegalArgumentException(
                        "burst-capacity (" + burstCapacity + ") must be at least replenish-rate (" + replenishRate + ")");
            }
        }
    }
}
